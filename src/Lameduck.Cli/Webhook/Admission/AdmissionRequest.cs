using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lameduck.Cli.Webhook.Admission;

/// <summary>
/// The parts of an <c>admission.k8s.io/v1</c> <c>AdmissionReview</c> request the webhook reads
/// (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#request).
/// </summary>
/// <param name="Uid">The request's uid, echoed in the response (the API server matches them).</param>
/// <param name="Kind">The object's group/version/kind: <c>/v1/Pod</c> for a pod.</param>
/// <param name="Operation">CREATE, UPDATE, DELETE or CONNECT.</param>
/// <param name="Namespace">The namespace of the request (a new pod's own metadata may not have one yet).</param>
/// <param name="Object">The object being admitted.</param>
internal sealed record AdmissionRequest(string Uid, string Kind, string Operation, string Namespace, JsonObject? Object)
{
    /// <summary>True for a pod (core group, v1) being created: what the webhook mutates.</summary>
    public bool IsPod => Kind == "/v1/Pod";

    /// <summary>Reads an AdmissionReview; throws <see cref="AdmissionFormatException"/> naming what is missing.</summary>
    public static AdmissionRequest Parse(ReadOnlySpan<byte> body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new AdmissionFormatException($"the body is not JSON ({e.Message})");
        }
        if (root is not JsonObject review) throw new AdmissionFormatException("the body is not a JSON object");
        if (Text(review["apiVersion"]) is var apiVersion && apiVersion != "admission.k8s.io/v1" || Text(review["kind"]) != "AdmissionReview")
        {
            throw new AdmissionFormatException($"not an admission.k8s.io/v1 AdmissionReview (apiVersion '{Text(review["apiVersion"])}', kind '{Text(review["kind"])}')");
        }
        if (review["request"] is not JsonObject request) throw new AdmissionFormatException("the AdmissionReview has no request");
        var uid = Text(request["uid"]) ?? throw new AdmissionFormatException("the request has no uid");
        var kind = request["kind"] as JsonObject;
        return new AdmissionRequest(
            uid,
            $"{Text(kind?["group"])}/{Text(kind?["version"])}/{Text(kind?["kind"])}",
            Text(request["operation"]) ?? "",
            Text(request["namespace"]) ?? "",
            request["object"] as JsonObject);
    }

    /// <summary>
    /// The uid of a request whose body was not read to its end (too large): the API server writes it near the
    /// start (<c>{"kind":"AdmissionReview","apiVersion":...,"request":{"uid":...</c>), so a prefix is enough.
    /// </summary>
    public static string? UidFromPrefix(ReadOnlySpan<byte> prefix)
    {
        var reader = new Utf8JsonReader(prefix, isFinalBlock: false, state: default);
        try
        {
            // Depth 1: the review's members; depth 2: the request's.
            bool inRequest = false;
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                if (reader.CurrentDepth == 1)
                {
                    inRequest = reader.ValueTextEquals("request"u8);
                }
                else if (inRequest && reader.CurrentDepth == 2 && reader.ValueTextEquals("uid"u8))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}

/// <summary>A body that is not an AdmissionReview the webhook can answer.</summary>
internal sealed class AdmissionFormatException(string message) : Exception(message);
