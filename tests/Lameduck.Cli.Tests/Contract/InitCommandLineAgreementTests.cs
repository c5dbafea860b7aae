using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;
using Lameduck.Contract.Init;
using Lameduck.Testing;
using Xunit.Abstractions;

namespace Lameduck.Cli.Tests.Contract;

/// <summary>
/// lameduck-init, lint and the lab read a lameduck-init command line the same way: generated command lines (flags in
/// both spellings, values good and bad, variables, duplicates, unknown flags, missing values and commands) go to the
/// real NativeAOT binary (<c>lameduck-init check</c>, which prints what it would run with, or its usage error), to lint
/// (a pod spec with that command and env, read through lint's model) and to the lab (a replica template), and every
/// reading must give the same settings or the same error.
/// </summary>
public sealed class InitCommandLineAgreementTests(ITestOutputHelper output)
{
    private const int Vectors = 400;

    [Fact]
    public void Lameduck_init_lint_and_the_lab_read_every_generated_command_line_alike()
    {
        var random = new Random(20261122); // fixed: a failure names a vector that reproduces
        int errors = 0, accepted = 0;
        var refusals = new Dictionary<string, int>();
        for (int n = 0; n < Vectors; n++)
        {
            var (arguments, environment) = Generate(random);
            var binary = RunBinary(arguments, environment);
            var lint = ReadAsLint(arguments, environment);
            var lab = ReadAsLab(arguments, environment);
            var vector = $"vector {n}: lameduck-init {string.Join(' ', arguments.Select(Quote))} with {string.Join(' ', environment.Select(kv => $"{kv.Key}={Quote(kv.Value)}"))}";
            Assert.True(binary == lint, $"{vector}\n--- lameduck-init:\n{binary}\n--- lint:\n{lint}");
            Assert.True(binary == lab, $"{vector}\n--- lameduck-init:\n{binary}\n--- lab:\n{lab}");
            if (!binary.StartsWith("error: ", StringComparison.Ordinal))
            {
                accepted++;
                continue;
            }
            errors++;
            var kind = binary.Length > 40 ? binary[..40] : binary;
            refusals[kind] = refusals.GetValueOrDefault(kind) + 1;
        }
        output.WriteLine($"{Vectors} command lines: {accepted} accepted, {errors} refused, all read alike");
        foreach (var (kind, count) in refusals.OrderByDescending(r => r.Value)) output.WriteLine($"  {count,4} {kind}...");
        // The generator must exercise both sides of the grammar, or the agreement proves little.
        Assert.InRange(accepted, Vectors / 5, Vectors - Vectors / 5);
    }

    // (good values, bad values) per kind: bad ones are drawn one time in seven.
    private static readonly (string[] Good, string[] Bad) Durations = (["5s", "500ms", "1m30s", "0s", "2", "1.5s", "30s", "45s", "3s"], ["soon", "-1s", "5x", ""]);
    private static readonly (string[] Good, string[] Bad) Ports = (["80", "8080", "9000"], ["0", "70000", "http"]);
    private static readonly (string[] Good, string[] Bad) Signals = (["QUIT", "SIGUSR1", "3", "term", "TERM,QUIT", "WINCH,"], ["BOGUS", ""]);
    private static readonly (string[] Good, string[] Bad) Presets = (["nginx", "php-fpm", "haproxy", "apache", "NGINX", " nginx "], ["traefik"]);
    private static readonly (string[] Good, string[] Bad) Booleans = (["true", "no", "1", "off"], ["maybe"]);
    private static readonly string[][] Commands =
    [
        ["nginx", "-g", "daemon off;"], ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"], ["docker-php-entrypoint", "php-fpm"],
        ["php-fpm8.2", "-F"], ["httpd-foreground"], ["docker-entrypoint.sh", "haproxy", "-f", "/etc/h.cfg"], ["/app", "--port", "8080"],
        ["python3", "-m", "http.server"], ["-"], [],
    ];

    private static (List<string> Arguments, Dictionary<string, string> Environment) Generate(Random random)
    {
        var arguments = new List<string>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        int options = random.Next(0, 6);
        for (int i = 0; i < options; i++)
        {
            var flag = InitFlags.All[random.Next(InitFlags.All.Length)];
            var value = ValueFor(flag, random);
            switch (random.Next(10))
            {
                case 0: environment[flag.Variable] = value; break;                       // the variable instead of the flag
                case 1: environment[flag.Variable] = value; goto default;                  // both: the flag must win
                case 2 when random.Next(3) == 0: arguments.Add("--frobnicate"); break;     // an unknown option
                case 3 when flag.TakesValue: arguments.Add($"{flag.Name}={value}"); break; // the = spelling
                default:
                    arguments.Add(flag.Name);
                    if (flag.TakesValue) arguments.Add(value);
                    break;
            }
        }
        if (random.Next(12) == 0 && options > 0 && InitFlags.All[random.Next(InitFlags.All.Length)] is { TakesValue: true } dangling)
            arguments.Add(dangling.Name); // a flag left without its value
        if (random.Next(3) > 0) arguments.Add("--");
        arguments.AddRange(Commands[random.Next(Commands.Length)]);
        return (arguments, environment);
    }

    private static string ValueFor(InitFlag flag, Random random)
    {
        var (good, bad) = flag == InitFlags.DrainPort ? Ports
            : flag == InitFlags.StopSignal || flag == InitFlags.TermSignals ? Signals
            : flag == InitFlags.Preset ? Presets
            : flag == InitFlags.Exit143As0 ? Booleans
            : Durations;
        var pool = random.Next(7) == 0 ? bad : good;
        return pool[random.Next(pool.Length)];
    }

    /// <summary>The real binary, told to check (not run) the command line; its stdout, or its usage error.</summary>
    private static string RunBinary(List<string> arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(InitBinary.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("check");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("LAMEDUCK_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "lameduck-init check did not exit");
        if (process.ExitCode == 0) return stdout.Result;
        Assert.Equal(2, process.ExitCode);
        var first = stderr.Result.Split('\n')[0];
        Assert.StartsWith("lameduck-init: ", first);
        return "error: " + first["lameduck-init: ".Length..];
    }

    /// <summary>A pod spec whose container runs lameduck-init with these words and variables, read through lint's model.</summary>
    private static string ReadAsLint(List<string> arguments, Dictionary<string, string> environment)
    {
        var pod = new Dictionary<string, object>
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "p" },
            ["spec"] = new Dictionary<string, object>
            {
                ["containers"] = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["name"] = "app",
                        ["image"] = "example.com/app:1",
                        ["command"] = new[] { "/lameduck/lameduck-init" }.Concat(arguments).ToArray(),
                        ["env"] = environment.Select(kv => new Dictionary<string, string> { ["name"] = kv.Key, ["value"] = kv.Value }).ToArray(),
                    },
                },
            },
        };
        var set = ManifestSet.From(YamlLoader.Load(new SourceFile("pod.json"), JsonSerializer.Serialize(pod))); // JSON is YAML
        var workload = Assert.Single(set.Workloads);
        var init = LameduckInitCommand.From(workload.Pod.Containers[0], workload, set);
        Assert.NotNull(init);
        return Describe(init.Line);
    }

    /// <summary>A lab replica template running lameduck-init with these words and variables, read as the lab reads it.</summary>
    private static string ReadAsLab(List<string> arguments, Dictionary<string, string> environment)
    {
        var line = LameduckInitBudget.Read(new ReplicaTemplate(["/some/where/lameduck-init", .. arguments], environment));
        Assert.NotNull(line);
        return Describe(line);
    }

    private static string Describe(InitCommandLine line)
    {
        try
        {
            return InitSettings.Resolve(line).Describe();
        }
        catch (InitUsageException e)
        {
            return "error: " + e.Message;
        }
    }

    private static string Quote(string word) => word.Length == 0 || word.Any(c => c is ' ' or ';' or '"' or '\'') ? JsonSerializer.Serialize(word) : word;
}
