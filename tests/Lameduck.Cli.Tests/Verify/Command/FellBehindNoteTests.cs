using Lameduck.Cli.Verify;
using Lameduck.Cli.Verify.Metrics;
using Lameduck.Cli.Verify.Results;

namespace Lameduck.Cli.Tests.Verify.Command;

/// <summary>When verify itself falls behind its schedule, the command says so instead of letting it read as the target's fault.</summary>
public class FellBehindNoteTests
{
    [Fact]
    public void A_run_that_kept_its_schedule_gets_no_note()
    {
        Assert.Null(VerifyCommand.FellBehindNote(RunWithSendLag(lagUs: 200)));
    }

    [Fact]
    public void A_run_whose_sends_were_late_by_more_than_10_ms_at_p99_gets_a_note_naming_the_lag()
    {
        var note = VerifyCommand.FellBehindNote(RunWithSendLag(lagUs: 25_000));

        Assert.Contains("send lag p99 25", note);
        Assert.Contains("verify fell behind its own schedule", note);
        Assert.Contains("--rate", note);
    }

    /// <summary>1,000 requests due 1 ms apart, each sent <paramref name="lagUs"/> late and answered 100 µs later.</summary>
    private static LoadSummary RunWithSendLag(long lagUs)
    {
        var metrics = new MetricsAccumulator();
        for (long i = 0; i < 1000; i++)
        {
            long due = i * 1000;
            metrics.Add(new RequestResult(i, due, due + lagUs, due + lagUs + 100, 200, ErrorClass.None, 0, 12));
        }
        return metrics.Summarize(1_000_000);
    }
}
