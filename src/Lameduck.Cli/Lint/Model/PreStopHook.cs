using System.Globalization;
using System.Text.RegularExpressions;
using Lameduck.Cli.Lint.Input;
using Lameduck.Contract.Init;
using Lameduck.Contract.Signals;
using Lameduck.Text;

namespace Lameduck.Cli.Lint.Model;

/// <summary>The handler kinds of a preStop hook.</summary>
internal enum PreStopKind
{
    /// <summary>The native <c>sleep</c> action (Kubernetes 1.30+).</summary>
    Sleep,

    /// <summary>An <c>exec</c> command run inside the container.</summary>
    Exec,

    /// <summary>An <c>httpGet</c> (or <c>tcpSocket</c>) call made by the kubelet.</summary>
    Network,

    /// <summary>Anything else (empty or unknown).</summary>
    Other,
}

/// <summary>
/// What a container's preStop hook does for shutdown: how long it sleeps, which signals it sends,
/// and what it needs inside the image (a shell, a <c>sleep</c> binary) to run at all.
/// </summary>
internal sealed partial class PreStopHook
{
    /// <summary>Binaries a preStop <c>exec</c> commonly calls that shell-less images do not ship.</summary>
    private static readonly IReadOnlySet<string> CoreUtilities = new HashSet<string>(StringComparer.Ordinal)
    {
        "sleep", "kill", "pkill", "killall", "timeout", "curl", "wget",
    };

    private PreStopHook(YamlNode keyNode, PreStopKind kind) => (KeyNode, Kind) = (keyNode, kind);

    /// <summary>The <c>preStop:</c> key.</summary>
    public YamlNode KeyNode { get; }

    /// <summary>The handler kind.</summary>
    public PreStopKind Kind { get; }

    /// <summary>Seconds the hook sleeps (native action, <c>sleep N</c>, <c>lameduck-init sleep N</c>); null when it does not.</summary>
    public double? SleepSeconds { get; private set; }

    /// <summary>The node that holds the sleep (what to edit to change it).</summary>
    public YamlNode? SleepNode { get; private set; }

    /// <summary>The exec command's first node (<c>command:</c> line), for exec hooks.</summary>
    public YamlNode? ExecNode { get; private set; }

    /// <summary>The exec command's words.</summary>
    public IReadOnlyList<string> ExecCommand { get; private set; } = [];

    /// <summary>What the exec needs that a shell-less image lacks: <c>sh</c>, <c>sleep</c>..., or null.</summary>
    public string? NeedsFromImage { get; private set; }

    /// <summary>Signals the hook sends (normalised: <c>QUIT</c>, <c>USR1</c>, <c>WINCH</c>...).</summary>
    public HashSet<string> SignalsSent { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads the hook under <c>lifecycle.preStop</c>.</summary>
    public static PreStopHook From(YamlNode keyNode, YamlMapping preStop)
    {
        if (preStop.MappingAt("sleep") is { } sleep)
        {
            var seconds = sleep.ScalarAt("seconds");
            return new PreStopHook(keyNode, PreStopKind.Sleep)
            {
                SleepSeconds = seconds.AsInteger(),
                SleepNode = (YamlNode?)seconds ?? preStop.Find("sleep")!.Key,
            };
        }
        if (preStop.MappingAt("exec") is { } exec)
        {
            var hook = new PreStopHook(keyNode, PreStopKind.Exec);
            hook.ReadExec(exec);
            return hook;
        }
        if (preStop["httpGet"] is not null || preStop["tcpSocket"] is not null) return new PreStopHook(keyNode, PreStopKind.Network);
        return new PreStopHook(keyNode, PreStopKind.Other);
    }

    private void ReadExec(YamlMapping exec)
    {
        var words = exec["command"].Items().OfType<YamlScalar>().ToList();
        ExecCommand = [.. words.Select(w => w.Value)];
        ExecNode = exec.Find("command")?.Key;
        if (words.Count == 0) return;

        var program = ShellWords.BaseName(words[0].Value);
        if (ShellWords.Shells.Contains(program))
        {
            NeedsFromImage = program;
            foreach (var word in words.Skip(1)) ReadScript(word);
        }
        else if (InitFlags.IsProgram(program))
        {
            ReadLameduckInit(words);
        }
        else
        {
            if (CoreUtilities.Contains(program)) NeedsFromImage = program;
            if (program == "sleep")
            {
                SleepSeconds = words.Skip(1).Select(w => ParseSleepOperand(w.Value)).Sum();
                SleepNode = words[0];
            }
            AddSignals(string.Join(' ', ExecCommand));
        }
    }

    // lameduck-init's preStop verbs, read with lameduck-init's own grammar (the shutdown contract's InitVerbs):
    // "lameduck-init sleep 5s" and "lameduck-init signal [--after 5s] QUIT 1" (whose --after is a sleep too).
    private void ReadLameduckInit(List<YamlScalar> words)
    {
        if (words.Count < 2) return;
        var arguments = words.Skip(2).Select(w => w.Value).ToList();
        try
        {
            switch (words[1].Value)
            {
                case "sleep":
                    SleepSeconds = InitVerbs.ParseSleep(arguments).TotalSeconds;
                    SleepNode = words[1];
                    break;
                case "signal":
                    var signal = InitVerbs.ParseSignal(arguments);
                    if (signal.After > TimeSpan.Zero)
                    {
                        SleepSeconds = signal.After.TotalSeconds;
                        SleepNode = words.First(w => w.Value == "--after" || w.Value.StartsWith("--after=", StringComparison.Ordinal));
                    }
                    SignalsSent.Add(SignalTable.ShortName(signal.Signal));
                    break;
            }
        }
        catch (InitUsageException)
        {
            // lameduck-init would refuse this hook (exit 2): it neither sleeps nor signals.
        }
    }

    private void ReadScript(YamlScalar script)
    {
        double total = 0;
        bool found = false;
        foreach (Match m in SleepInScript().Matches(script.Value))
        {
            total += ParseSleepOperand(m.Groups[1].Value);
            found = true;
        }
        if (found)
        {
            SleepSeconds = (SleepSeconds ?? 0) + total;
            SleepNode ??= script;
        }
        AddSignals(script.Value);
    }

    private void AddSignals(string text)
    {
        foreach (Match m in KillWithSignal().Matches(text))
        {
            if (SignalTable.Normalize(m.Groups[1].Value) is { } signal) SignalsSent.Add(signal);
        }
        foreach (Match m in NginxSignal().Matches(text))
        {
            SignalsSent.Add(m.Groups[1].Value switch { "quit" => "QUIT", "stop" => "TERM", "reload" => "HUP", _ => "USR1" });
        }
        if (ApacheGracefulStop().IsMatch(text)) SignalsSent.Add("WINCH");
        foreach (Match m in LameduckInitSignal().Matches(text))
        {
            if (SignalTable.Normalize(m.Groups[1].Value) is { } signal) SignalsSent.Add(signal);
        }
    }

    // GNU/busybox sleep operands: a number with an optional s, m, h or d suffix; several are summed.
    private static double ParseSleepOperand(string operand)
    {
        var m = SleepOperand().Match(operand.Trim());
        if (!m.Success) return 0;
        var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "m" => n * 60, "h" => n * 3600, "d" => n * 86400, _ => n };
    }

    [GeneratedRegex(@"(?<![\w-])sleep\s+(\d+(?:\.\d+)?[smhd]?)(?![\w.])")]
    private static partial Regex SleepInScript();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)([smhd]?)$")]
    private static partial Regex SleepOperand();

    [GeneratedRegex(@"\b(?:kill|pkill|killall)\s+(?:-s\s+|--signal[= ]\s*|-)(?:SIG)?([A-Za-z]+\d*|\d+)\b")]
    private static partial Regex KillWithSignal();

    [GeneratedRegex(@"\bnginx\b[^;&|\n]*?\s-s\s+(quit|stop|reload|reopen)\b")]
    private static partial Regex NginxSignal();

    [GeneratedRegex(@"\b(?:apachectl|apache2ctl|httpd|apache2)\b[^;&|\n]*?\s-k\s+graceful-stop\b")]
    private static partial Regex ApacheGracefulStop();

    [GeneratedRegex(@"\blameduck-init\s+signal\s+(\w+)")]
    private static partial Regex LameduckInitSignal();
}
