using System.Globalization;
using System.Text.Json.Nodes;
using Lameduck.Cli.Inject.Annotations;
using Lameduck.Cli.Inject.Classification;
using Lameduck.Cli.Inject.Edits;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;
using Lameduck.Text;
using Lameduck.Contract.Init;

namespace Lameduck.Cli.Inject.Mutation;

/// <summary>
/// Makes one opted-in workload safe to roll: classifies its containers, raises
/// <c>terminationGracePeriodSeconds</c> as far as the longest container's budget needs (never lowers it), then
/// gives each container its fix and writes the status annotation. Everything it sets is compared with what is
/// there first, so a second run changes nothing. Used alike by <c>lameduck inject</c> and <c>lameduck webhook</c>.
/// </summary>
internal sealed class WorkloadInjector(InjectSettings settings)
{
    /// <summary>Injects <paramref name="workload"/>, whose whole object reads as <paramref name="readBefore"/>'s result in JSON.</summary>
    /// <param name="set">The input's other objects (ConfigMaps named by <c>envFrom</c>).</param>
    /// <param name="readBefore">The object as JSON, asked for only when the workload opted in; it is not changed (the mutation works on a copy).</param>
    /// <param name="optedInByDefault">True where the namespace opted in (the webhook's namespace path).</param>
    /// <param name="fromText">True when the object was read from YAML text that edits are written back into (inject);
    /// false for JSON that only needs a JSON Patch (the webhook): no text positions to find, no YAML merge keys possible.</param>
    public InjectionOutcome Inject(Workload workload, ManifestSet set, Func<JsonObject> readBefore, bool optedInByDefault = false, bool fromText = true)
    {
        var request = InjectRequest.Read(workload, settings, optedInByDefault);
        if (!request.OptedIn) return request.Problems.Count > 0 ? InjectionOutcome.Refused(request.Problems) : InjectionOutcome.NotOptedIn;
        if (request.Problems.Count > 0) return InjectionOutcome.Refused([.. request.Problems.Select(p => $"{workload.Object.Id} left alone: {p}")]);
        if (workload.IsBatch)
        {
            return InjectionOutcome.Refused([$"{workload.Object.Id} left alone: {workload.Object.Kind} pods run to completion and serve no traffic to drain"]);
        }
        if (fromText && HasMergeKey(workload.Template))
        {
            return InjectionOutcome.Refused([$"{workload.Object.Id} left alone: its pod template uses YAML merge keys (<<), which inject does not read"]);
        }

        if (workload.Pod.Node["containers"] is not YamlSequence containersYaml || containersYaml.Items.Any(c => c is not YamlMapping))
        {
            return InjectionOutcome.Refused([$"{workload.Object.Id} left alone: its pod spec has no list of containers"]);
        }
        var before = readBefore();
        var after = (JsonObject)before.DeepClone();
        var template = workload.TemplatePath.Aggregate(after, (node, key) => (JsonObject)node[key]!);
        var spec = (JsonObject)template["spec"]!;
        var containersJson = (JsonArray)spec["containers"]!;

        var roles = workload.Pod.Containers.Select(c => (Container: c, Role: ContainerClassifier.Classify(c, workload, set, request))).ToList();

        var graceBefore = workload.Pod.GracePeriodSeconds;
        var needed = roles.Select(r => r.Role.Needs).DefaultIfEmpty(TimeSpan.Zero).Max();
        var grace = Math.Max(graceBefore, (long)Math.Ceiling(needed.TotalSeconds));
        if (grace != graceBefore || workload.Pod.GracePeriodNode is not null && workload.Pod.GracePeriodNode.AsInteger() is null)
        {
            spec["terminationGracePeriodSeconds"] = grace;
        }

        var (delivery, deliveryConflict) = InitDelivery.For(workload.Pod, spec, request.InitImage);
        var statuses = new List<(string, string)>();
        var warnings = new List<string>();
        foreach (var (container, classified) in roles)
        {
            var json = (JsonObject)containersJson[containersYaml.Items.IndexOf(container.Node)]!;
            var role = Apply(classified, container, json, TimeSpan.FromSeconds(grace), request, delivery, deliveryConflict);
            statuses.Add((container.Name, role.Status));
            if (role is SkipRole skip) warnings.Add($"{workload.Object.Id}: container '{container.Name}' left alone: {skip.Reason}");
        }

        var annotations = JsonEdits.ObjectAt(JsonEdits.ObjectAt(template, "metadata"), "annotations");
        JsonEdits.SetValue(annotations, InjectAnnotations.Status, string.Join("; ", statuses.Select(s => $"{s.Item1}: {s.Item2}")));

        var edits = TreeDiff.Between(before, after, fromText ? workload.Object.Root : null);
        return new InjectionOutcome(edits.Count > 0 ? InjectionState.Injected : InjectionState.AlreadyInjected, edits, after, statuses, warnings, (graceBefore, grace));
    }

    // Returns the role the container ends with: a fix that cannot be applied (the binary cannot be delivered) turns into a skip.
    private static ContainerRole Apply(ContainerRole role, Container container, JsonObject json, TimeSpan grace, InjectRequest request, InitDelivery? delivery, string? deliveryConflict)
    {
        switch (role)
        {
            case LibraryRole library:
                SetLibraryOption(json, "GracePeriod", grace);
                SetLibraryOption(json, "PreStop", library.PreStop);
                if (library.WriteDelay) SetLibraryOption(json, "Delay", library.Delay);
                return role;

            case InitRole init:
                // The pod's budget as lameduck-init's own settings: the grace period and the preStop inside it.
                SetInitSetting(json, container, init.Command, InitFlags.GracePeriod, grace);
                SetInitSetting(json, container, init.Command, InitFlags.PreStop, init.PreStop);
                if (init.WriteDelay) SetInitSetting(json, container, init.Command, InitFlags.Delay, init.Delay);
                return role;

            case ServerRole server:
                if (delivery is null) return new SkipRole(deliveryConflict!);
                if (delivery.ConflictIn(json) is { } mountConflict) return new SkipRole(mountConflict);
                JsonEdits.SetStrings(json, "command", server.Preset is null ? [delivery.Binary, "--"] : [delivery.Binary, "--preset", server.Preset, "--"]);
                JsonEdits.SetStrings(json, "args", server.StartCommand);
                SetInitEnv(json, InitFlags.GracePeriod.Variable, grace);
                if (server.PreStop > TimeSpan.Zero) SetInitEnv(json, InitFlags.PreStop.Variable, server.PreStop);
                if (server.WriteDelay) SetInitEnv(json, "LAMEDUCK_DELAY", server.Delay);
                delivery.MountInto(json);
                return role;

            case PreStopRole { Action: PreStopAction.Add or PreStopAction.Replace } preStop:
                JsonObject handler;
                switch (preStop.Hook)
                {
                    case SleepHook.Native:
                        handler = new JsonObject { ["sleep"] = new JsonObject { ["seconds"] = (long)preStop.Sleep.TotalSeconds } };
                        break;
                    case SleepHook.ImageSleep:
                        handler = new JsonObject { ["exec"] = new JsonObject { ["command"] = new JsonArray("sleep", ((long)preStop.Sleep.TotalSeconds).ToString(CultureInfo.InvariantCulture)) } };
                        break;
                    default:
                        if (delivery is null) return new SkipRole(deliveryConflict!);
                        if (delivery.ConflictIn(json) is { } conflict) return new SkipRole(conflict);
                        delivery.MountInto(json);
                        handler = new JsonObject { ["exec"] = new JsonObject { ["command"] = new JsonArray(delivery.Binary, "sleep", DurationText.Format(preStop.Sleep)) } };
                        break;
                }
                JsonEdits.ObjectAt(json, "lifecycle")["preStop"] = handler;
                return role;

            default:
                return role;
        }
    }

    // Lameduck's options are .NET configuration: keys ignore case, values are TimeSpans ("00:00:30").
    private static void SetLibraryOption(JsonObject container, string option, TimeSpan value) =>
        JsonEdits.SetEnv(container, $"Lameduck__{option}", value.ToString("c", CultureInfo.InvariantCulture),
            name => string.Equals(name, $"Lameduck__{option}", StringComparison.OrdinalIgnoreCase),
            current => TimeSpan.TryParse(current, CultureInfo.InvariantCulture, out var t) && t == value);

    private static void SetInitEnv(JsonObject container, string variable, TimeSpan value) =>
        JsonEdits.SetEnv(container, variable, DurationText.Format(value), name => name == variable,
            current => DurationText.TryParse(current, out var t, out _) && t == value);

    // A flag wins over its variable in lameduck-init, so an existing flag is where the value goes. A setting that is
    // already what lameduck-init will use (written, or its default) is left as it is: injecting twice changes nothing.
    private static void SetInitSetting(JsonObject json, Container container, LameduckInitCommand init, InitFlag flag, TimeSpan value)
    {
        var current = InitSettings.TryDuration(init.Line, flag, out _);
        if (current == value) return;
        if (init.Line[flag] is not { FromVariable: false } given)
        {
            SetInitEnv(json, flag.Variable, value);
            return;
        }
        var flagNode = (YamlScalar)init.NodeOf(given);
        bool inline = flagNode.Value.Contains('=', StringComparison.Ordinal);
        var argv = container.Argv.ToList();
        int at = argv.IndexOf(flagNode) + (inline ? 0 : 1);
        var (key, index) = at < container.Command.Count ? ("command", at) : ("args", at - container.Command.Count);
        ((JsonArray)json[key]!)[index] = inline ? $"{flag.Name}={DurationText.Format(value)}" : DurationText.Format(value);
    }

    private static bool HasMergeKey(YamlMapping template)
    {
        var pending = new Stack<YamlNode>();
        pending.Push(template);
        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (!seen.Add(node)) continue;
            if (node is YamlMapping mapping)
            {
                foreach (var entry in mapping.Entries)
                {
                    if (entry.KeyText == "<<" && entry.Key is YamlScalar { IsPlain: true }) return true;
                    pending.Push(entry.Value);
                }
            }
            else if (node is YamlSequence sequence)
            {
                foreach (var item in sequence.Items) pending.Push(item);
            }
        }
        return false;
    }
}
