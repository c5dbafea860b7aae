namespace Lameduck.Cli.CommandLine;

/// <summary>The exit codes of every <c>lameduck</c> command (verify, lab, lint, inject, webhook), named once.</summary>
public static class ExitCodes
{
    /// <summary>Done, and every threshold held (no error-level finding, no request over <c>--max-errors</c>).</summary>
    public const int Ok = 0;

    /// <summary>Done, and what it checks failed: a threshold exceeded, an error-level finding, a failed rollout, a sample that did not build.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage: a flag or argument that does not parse or make sense, input that cannot be read.</summary>
    public const int Usage = 2;

    /// <summary>128 + SIGINT: stopped by Ctrl-C or SIGTERM (the reports of what was measured are still written).</summary>
    public const int Interrupted = 130;
}
