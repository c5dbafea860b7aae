using System.Text.Json.Nodes;
using Lameduck.Cli.Inject.Edits;

namespace Lameduck.Cli.Inject.Mutation;

/// <summary>What injecting one workload came to.</summary>
internal enum InjectionState
{
    /// <summary>Not opted in: untouched, nothing to say.</summary>
    NotOptedIn,

    /// <summary>Opted in, but refused as a whole (bad annotation values, a batch kind, merge keys): untouched, with warnings.</summary>
    Refused,

    /// <summary>Opted in and already as injection leaves it: untouched.</summary>
    AlreadyInjected,

    /// <summary>Opted in and changed.</summary>
    Injected,
}

/// <summary>The result of injecting one workload.</summary>
/// <param name="State">What happened.</param>
/// <param name="Edits">The changes (empty unless <see cref="InjectionState.Injected"/>).</param>
/// <param name="After">The object as injection leaves it (null when not opted in or refused).</param>
/// <param name="Containers">Per container: its name and status (what the status annotation says).</param>
/// <param name="Warnings">What a user must hear: containers left alone and why, annotation values that could not be read.</param>
/// <param name="GracePeriod">terminationGracePeriodSeconds before and after (equal when not raised).</param>
internal sealed record InjectionOutcome(
    InjectionState State,
    IReadOnlyList<DocumentEdit> Edits,
    JsonObject? After,
    IReadOnlyList<(string Container, string Status)> Containers,
    IReadOnlyList<string> Warnings,
    (long Before, long After) GracePeriod)
{
    public static InjectionOutcome NotOptedIn { get; } = new(InjectionState.NotOptedIn, [], null, [], [], (0, 0));

    public static InjectionOutcome Refused(IReadOnlyList<string> warnings) => new(InjectionState.Refused, [], null, [], warnings, (0, 0));
}
