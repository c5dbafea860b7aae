namespace Lameduck.Init.Options;

/// <summary>
/// <c>lameduck-init --help</c>. The grammar it describes is the shutdown contract's (src/Shared/Contract/Init/), which
/// lint, lab and inject read lameduck-init command lines with; a test checks every flag and variable is listed here.
/// </summary>
internal static class HelpText
{
    public const string Help = """
        lameduck-init: PID 1 for apps you cannot change. Keeps serving for a while after SIGTERM, then stops
        the app with the signal that stops it gracefully, reaps zombies, and kills it before the kubelet does.

        Usage:
          lameduck-init [options] [--] COMMAND [ARGS...]
          lameduck-init sleep DURATION                   (preStop hook without a shell)
          lameduck-init signal [--after DURATION] SIGNAL PID
          lameduck-init install DIRECTORY                (init container: copy this binary into DIRECTORY)
          lameduck-init check [options] [--] COMMAND     (print what it would do with these options; run nothing)

        Options (each also read from the variable shown; a flag wins):
          --preset NAME        nginx | php-fpm | haproxy | apache; guessed from the command         LAMEDUCK_PRESET
          --stop-signal SIG    graceful stop signal (default: the preset's, else TERM)              LAMEDUCK_STOP_SIGNAL
          --term-signals LIST  signals that start the shutdown (default: TERM and the stop          LAMEDUCK_TERM_SIGNALS
                               signal, as Kubernetes sends the image's STOPSIGNAL: QUIT for nginx)
          --delay DURATION     lame-duck window after SIGTERM (default 5s)                          LAMEDUCK_DELAY
          --drain-port PORT    end the window early once no request bytes arrived on local TCP      LAMEDUCK_DRAIN_PORT
                               PORT (new or kept-alive connections; probes on PORT count too) ...
          --quiet-period DUR   ... for this long (default 1s)                                       LAMEDUCK_QUIET_PERIOD
          --min-delay DUR      ... but never before this (default 1s; at most --delay)              LAMEDUCK_MIN_DELAY
          --grace-period DUR   the pod's terminationGracePeriodSeconds (default 30s)                LAMEDUCK_GRACE_PERIOD
          --pre-stop DUR       how long the pod's preStop hook takes, inside the grace period (0s)  LAMEDUCK_PRE_STOP
          --margin DURATION    SIGKILL the app this long before the grace period ends (2s), that    LAMEDUCK_MARGIN
                               is grace period - pre-stop - margin after SIGTERM
          --exit-143-as-0      report an app ended by SIGTERM (143) as success                      LAMEDUCK_EXIT_143_AS_0

        Durations: 500ms, 5s, 1m30s. Signals: QUIT, SIGQUIT or 3.
        Exit codes: the app's code (128+N when signal N ended it); 137 when lameduck-init had to SIGKILL it at
        the deadline; 2 bad input; 126 command not executable; 127 command not found.
        """;
}
