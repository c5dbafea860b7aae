using System.CommandLine;
using System.CommandLine.Parsing;
using Lameduck.Text;

namespace Lameduck.Cli.Verify;

/// <summary>The flags of <c>lameduck verify</c> and <c>lameduck verify report</c> (one instance per command tree).</summary>
internal sealed class VerifyOptions
{
    public Argument<string> Url { get; } = new("url") { Description = "Target URL (http:// or https://)." };

    public Option<double> Rate { get; } = new("--rate")
    {
        Description = "Requests per second, sent on schedule however slow the server is (open model).",
        DefaultValueFactory = _ => 1000,
    };

    public Option<TimeSpan?> Duration { get; } = DurationOption("--duration", "How long to send (e.g. 30s, 1m30s). Default: 60s.");

    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(60);

    public Option<int> MaxInFlight { get; } = new("--max-in-flight")
    {
        Description = "Most requests outstanding at once; a request due beyond it is not sent and counted as saturated. " +
                      "Default: rate × timeout, between 64 and 10000.",
    };

    public Option<TimeSpan?> Timeout { get; } = DurationOption("--timeout", "Per-request limit, from send to the end of the body. Default: 5s.");

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public Option<string> Method { get; } = new("--method") { Description = "HTTP method.", DefaultValueFactory = _ => "GET" };

    public Option<string[]> Header { get; } = new("--header", "-H")
    {
        Description = "Request header 'Name: value'; repeat for more.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> Body { get; } = new("--body") { Description = "Request body: @path reads a file, anything else is sent as is." };

    public Option<bool> Http2 { get; } = new("--http2") { Description = "HTTP/2 with prior knowledge (h2c on http://), no fallback." };

    public Option<bool> KeepAlive { get; } = new("--keep-alive")
    {
        Description = "Reuse connections (true|false); false opens a connection per request.",
        DefaultValueFactory = _ => true,
    };

    public Option<string> During { get; } = new("--during") { Description = "Shell command to run during the load (e.g. a rollout), recorded as events." };

    public Option<TimeSpan?> At { get; } = DurationOption("--at", "When to start the --during command, from the start of the run. Default: 0s.");

    public Option<string> DuringLog { get; } = new("--during-log")
    {
        Description = "File the --during command's output is appended to.",
        DefaultValueFactory = _ => "during.log",
    };

    public Option<long?> MaxErrors { get; } = new("--max-errors")
    {
        Description = "Most errors (non-2xx/3xx answers, transport errors, saturated) allowed; exit 1 beyond.",
        DefaultValueFactory = _ => 0,
    };

    public Option<TimeSpan?> MaxP99 { get; } = DurationOption("--max-p99", "Highest p99 latency allowed (e.g. 250ms); exit 1 beyond.");

    public Option<string> Output { get; } = new Option<string>("--output", "-o")
    {
        Description = "Report on stdout: text or json.",
        DefaultValueFactory = _ => "text",
    }.AcceptOnlyFromAmong("text", "json");

    public Option<string> Report { get; } = new("--report") { Description = "Write an HTML report (one self-contained file) here." };

    public Option<string> Results { get; } = new("--results") { Description = "Stream every request's record to this CSV file." };

    public Argument<string> ResultsFile { get; } = new("results") { Description = "A results file written by verify --results." };

    /// <summary>A duration flag (500ms, 5s, 1m30s); null when not given, so help shows defaults the way they are typed.</summary>
    private static Option<TimeSpan?> DurationOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "duration",
        CustomParser = result => ParseDuration(result, name),
    };

    private static TimeSpan? ParseDuration(ArgumentResult result, string name)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (DurationText.TryParse(text, out var value, out var error)) return value;
        result.AddError($"{name}: {error}");
        return null;
    }
}
