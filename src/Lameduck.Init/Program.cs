using Lameduck.Init.Options;
using Lameduck.Init.Presets;
using Lameduck.Init.Supervision;
using Lameduck.Init.Verbs;

// lameduck-init is a Linux PID 1: /proc, prctl, posix_spawn and Linux signal numbers.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Lameduck.Init;

/// <summary>lameduck-init's entry point: a verb (sleep, signal) or a supervised command.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        try
        {
            if (args.Length > 0)
            {
                switch (args[0])
                {
                    case "-h" or "--help" or "help":
                        Console.Out.WriteLine(OptionParser.Help);
                        return 0;
                    case "--version":
                        Console.Out.WriteLine("lameduck-init " + typeof(Program).Assembly.GetName().Version);
                        return 0;
                    case "sleep":
                        return SleepVerb.Run(args[1..]);
                    case "signal":
                        return SignalVerb.Run(args[1..]);
                }
            }

            var options = OptionParser.Parse(args, Environment.GetEnvironmentVariable);
            var log = new EventLog(Console.Error);
            if (options.Preset == Preset.PhpFpm)
            {
                foreach (var warning in PhpFpmConfigCheck.Check(options)) log.Write("warning", warning);
            }
            return new Supervisor(options, log).Run();
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"lameduck-init: {e.Message}");
            Console.Error.WriteLine("Try 'lameduck-init --help'.");
            return 2;
        }
    }
}
