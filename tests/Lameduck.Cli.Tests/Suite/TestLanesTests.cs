using Lameduck.Cli.Tests.Lab;
using Lameduck.Cli.Tests.Verify.Support;
using Lameduck.Testing;

namespace Lameduck.Cli.Tests.Suite;

/// <summary>
/// A class of a serial collection without a lane would run in the first, parallel phase of the lanes
/// (<c>bash scripts/test.sh</c>, the default)
/// (still serial, but alone and slower); a class with a lane outside those collections would run in parallel with the
/// other classes of its lane, beside the other lane's timed rollouts. Either is a mistake this finds.
/// </summary>
public sealed class TestLanesTests
{
    private static readonly string[] SerialCollections = [LabCollection.Name, LoadCollection.Name];

    private static readonly List<Type> Classes =
        typeof(TestLanesTests).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }).ToList();

    [Fact]
    public void Every_class_of_a_serial_collection_and_no_other_has_exactly_one_lane()
    {
        var serial = Classes.Where(t => SerialCollections.Contains(CollectionOf(t))).ToList();
        Assert.True(serial.Count >= 20, $"expected the classes of the serial collections, found {serial.Count}");
        Assert.All(serial, t => Assert.True(LanesOf(t).Count() == 1, $"{t.FullName} has lanes [{string.Join(", ", LanesOf(t))}], not one"));
        Assert.All(Classes.Where(t => LanesOf(t).Any()), t =>
            Assert.True(SerialCollections.Contains(CollectionOf(t)), $"{t.FullName} has a lane but is in no serial collection"));
    }

    [Fact]
    public void Every_lane_a_class_names_is_one_scripts_test_sh_runs_and_none_is_empty()
    {
        var named = Classes.SelectMany(LanesOf).Distinct().Order();
        Assert.Equal(TestLanes.All.Order(), named);
        var script = File.ReadAllText(Path.Combine(RepoPaths.Root, "scripts", "test.sh"));
        Assert.All(TestLanes.All, lane => Assert.Contains($"--filter \"{TestLanes.Trait}={lane}\"", script, StringComparison.Ordinal));
        var firstPhase = string.Join('&', TestLanes.All.Select(lane => $"{TestLanes.Trait}!={lane}"));
        Assert.Contains($"--filter \"{firstPhase}\"", script, StringComparison.Ordinal);
    }

    private static string? CollectionOf(Type type) =>
        type.GetCustomAttributesData().Where(a => a.AttributeType == typeof(CollectionAttribute))
            .Select(a => a.ConstructorArguments[0].Value as string).FirstOrDefault();

    private static IEnumerable<string> LanesOf(Type type) =>
        type.GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == TestLanes.Trait)
            .Select(a => (string)a.ConstructorArguments[1].Value!);
}
