namespace Lameduck;

/// <summary>A unit of work in flight; dispose it when the work ends. Obtained from <see cref="ILameduck.BeginWork"/>.</summary>
/// <example><code>using var work = lameduck.BeginWork();</code></example>
public readonly struct WorkScope : IDisposable
{
    private readonly LameduckState? _state;

    internal WorkScope(LameduckState state) => _state = state;

    /// <summary>Marks the work as finished.</summary>
    public void Dispose() => _state?.EndWork();
}
