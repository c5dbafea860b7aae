using Lameduck.Contract.Init;
using Lameduck.Contract.Presets;
using Lameduck.Init.Native;
using Lameduck.Init.Options;
using Lameduck.Init.Presets;
using Lameduck.Init.Supervision;
using Lameduck.Init.Verbs;

// lameduck-init is a Linux PID 1: /proc, prctl, posix_spawn and Linux signal numbers.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Lameduck.Init;

/// <summary>lameduck-init's entry point: a verb (sleep, signal, install, check) or a supervised command.</summary>
internal static class Program
{
    // Kept by hand in step with <Version> in Directory.Build.props: reflection is compiled out of the binary.
    private const string Version = "0.1.0";

    private static int Main(string[] args)
    {
        try
        {
            if (args.Length > 0)
            {
                switch (args[0])
                {
                    case "-h" or "--help" or "help":
                        StandardStream.Out.WriteLine(HelpText.Help);
                        return 0;
                    case "--version":
                        StandardStream.Out.WriteLine("lameduck-init " + Version);
                        return 0;
                    case "sleep":
                        return SleepVerb.Run(args[1..]);
                    case "signal":
                        return SignalVerb.Run(args[1..]);
                    case "install":
                        return InstallVerb.Run(args[1..]);
                    case "check":
                        return CheckVerb.Run(args[1..]);
                }
            }

            var options = InitSettings.Parse(args, Environment.GetEnvironmentVariable);
            var log = new EventLog(StandardStream.Error);
            if (options.Preset == ServerPresets.PhpFpm) WarnAboutPhpFpm(options, log);
            return new Supervisor(options, log).Run();
        }
        catch (InitUsageException e)
        {
            StandardStream.Error.WriteLine($"lameduck-init: {e.Message}");
            StandardStream.Error.WriteLine("Try 'lameduck-init --help'.");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            StandardStream.Error.WriteLine($"lameduck-init: {e.Message}"); // e.g. install into a read-only directory
            return 1;
        }
    }

    // A check that cannot read the configuration must not keep the app from starting: it says so instead.
    private static void WarnAboutPhpFpm(InitSettings options, EventLog log)
    {
        try
        {
            foreach (var warning in PhpFpmConfigCheck.Check(options)) log.Write("warning", warning);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Write("warning", $"php-fpm preset: cannot check process_control_timeout: {e.Message}");
        }
    }
}
