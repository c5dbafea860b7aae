
namespace Lameduck.AspNetCore.Probes;

/// <summary>The one rule for readiness, shared by the probe endpoint and the health check.</summary>
internal static class ReadinessVerdict
{
    public static bool IsReady(ILameduck lameduck, ReadinessMode mode) =>
        lameduck.Phase == LameduckPhase.Serving || mode == ReadinessMode.KeepServing;
}
