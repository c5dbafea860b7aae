using System.CommandLine;
using Lameduck.Cli.CommandLine;

namespace Lameduck.Cli.Verify;

/// <summary>The flags of <c>lameduck verify</c> and <c>lameduck verify report</c> (one instance per command tree).</summary>
internal sealed class VerifyOptions
{
    public Argument<string> Url { get; } = new("url") { Description = "Target URL (http:// or https://)." };

    public Option<double> Rate { get; } = LoadFlags.Rate();

    public Option<TimeSpan> Duration { get; } = LoadFlags.Duration();

    public Option<int> MaxInFlight { get; } = new("--max-in-flight")
    {
        Description = "Most requests outstanding at once; a request due beyond it is not sent and counted as saturated. " +
                      "Default: rate × timeout, between 64 and 1000 (each costs a connection and about 30 KB).",
    };

    public Option<TimeSpan> Timeout { get; } = LoadFlags.Timeout();

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

    public Option<TimeSpan?> At { get; } = DurationOptions.Optional("--at", "When to start the --during command, from the start of the run. Default: 0s.");

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

    public Option<TimeSpan?> MaxP99 { get; } = DurationOptions.Optional("--max-p99", "Highest p99 latency allowed (e.g. 250ms); exit 1 beyond.");

    public Option<string> Output { get; } = LoadFlags.Output();

    public Option<string> Report { get; } = new("--report") { Description = "Write an HTML report (one self-contained file) here." };

    public Option<string> Results { get; } = new("--results") { Description = "Stream every request's record to this CSV file." };

    public Argument<string> ResultsFile { get; } = new("results") { Description = "A results file written by verify --results." };
}
