namespace Lameduck.Cli.Verify.Results;

/// <summary>
/// The results file format (version 1), shared by <see cref="ResultsCsvWriter"/> and <see cref="ResultsCsvReader"/>.
/// One header line, then rows of kind <c>meta</c> (key=value in <c>note</c>), <c>req</c> (one request) and
/// <c>event</c> (a timeline marker). Times are integer microseconds since t0, so a report rebuilt from the
/// file equals the live one exactly.
/// </summary>
/// <example>
/// <code>
/// kind,seq,scheduled_us,sent_us,end_us,status,error,retries,bytes_in,note,detail
/// meta,,,,,,,,,format=lameduck-verify-results/1,
/// req,0,0,41,533,200,,0,12,,
/// req,1,1000,,,0,saturated,,0,,
/// event,,30000000,,,,,,,during: start,kubectl rollout restart deploy/web
/// </code>
/// </example>
internal static class ResultsCsv
{
    public const string Header = "kind,seq,scheduled_us,sent_us,end_us,status,error,retries,bytes_in,note,detail";
    public const string Format = "lameduck-verify-results/1";
    public const int ColumnCount = 11;

    public static class Keys
    {
        public const string Format = "format";
        public const string Target = "target";
        public const string Method = "method";
        public const string TargetRate = "target_rate";
        public const string TargetDurationUs = "target_duration_us";
        public const string StartedUtc = "started_utc";
        public const string AttackDurationUs = "attack_duration_us";
        public const string Interrupted = "interrupted";
    }
}
