namespace Lameduck.Cli.Tests.Suite;

/// <summary>
/// The lanes <c>bash scripts/test.sh</c> runs this project in (<c>LAMEDUCK_TEST_LANES=1</c> runs it whole, one
/// project at a time), as an xunit trait that <c>dotnet test --filter</c> selects. First every class without the
/// trait, alone: the parallel classes, with the proof matrix through <c>l7</c> two rollouts at a time. Then two lanes side by side: the <see cref="Lab"/> classes in one, and in the other the three
/// small test projects followed by the <see cref="Side"/> classes. Only classes of the serial collections
/// (<c>LabCollection</c>, <c>LoadCollection</c>) carry a lane, so each lane still runs its tests one at a time.
/// </summary>
/// <remarks>
/// Chosen by CPU on a 2-core machine (docs/TESTING.md, "The suite's time"): a lab rollout uses about half a core,
/// the small projects and verify's load tests 0.3–0.4 of one on average, so on average the two lanes fit on 2 cores,
/// unlike the proof matrix's two rollouts plus a second lane (run 18). Not at every moment: the busier machine made
/// lab tests fail that were measuring the wrong moment or leaning on the wrong server setting (docs/TESTING.md, runs
/// 58-77), each fixed at its cause. The proof cases through real nginx stay in the lab lane, never beside another
/// rollout (<c>InitProofTests</c>' remarks).
/// </remarks>
/// <example><code>[Collection(LabCollection.Name), Trait(TestLanes.Trait, TestLanes.Lab)]</code></example>
public static class TestLanes
{
    /// <summary>The trait's name: <c>--filter "Lane=lab"</c>.</summary>
    public const string Trait = "Lane";

    /// <summary>The lab lane: real rollouts timed one at a time, most of them through real servers.</summary>
    public const string Lab = "lab";

    /// <summary>The side lane, after the small projects: verify's load tests and the lab's end-to-end runs.</summary>
    public const string Side = "side";

    /// <summary>Every lane; <c>scripts/test.sh</c> runs each with <c>--filter "Lane=NAME"</c>.</summary>
    public static IReadOnlyList<string> All { get; } = [Lab, Side];
}
