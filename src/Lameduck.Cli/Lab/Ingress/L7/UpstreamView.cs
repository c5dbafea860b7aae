namespace Lameduck.Cli.Lab.Ingress.L7;

/// <summary>
/// The l7 ingress's current view of the ready endpoints and its round robin: an array replaced (never
/// changed) on each endpoint change, so choosing an endpoint takes no lock; a request keeps the array it
/// started with for its retries.
/// </summary>
internal sealed class UpstreamView
{
    /// <summary>Most endpoints one request can try (the width of its tried-set bit mask).</summary>
    public const int MaxTries = 64;

    private readonly object _gate = new();
    private Upstream[] _upstreams = [];
    private uint _cursor = uint.MaxValue;

    /// <summary>The endpoints now, in the order they were added.</summary>
    public Upstream[] Current => Volatile.Read(ref _upstreams);

    /// <summary>Adds an endpoint; false when its port is already in the view.</summary>
    public bool Add(Upstream upstream)
    {
        lock (_gate)
        {
            foreach (var u in _upstreams)
                if (u.Endpoint.Port == upstream.Endpoint.Port) return false;
            Volatile.Write(ref _upstreams, [.. _upstreams, upstream]);
            return true;
        }
    }

    /// <summary>Removes the endpoint on <paramref name="port"/>; null when it is not in the view.</summary>
    public Upstream? Remove(int port)
    {
        lock (_gate)
        {
            int index = Array.FindIndex(_upstreams, u => u.Endpoint.Port == port);
            if (index < 0) return null;
            var removed = _upstreams[index];
            Volatile.Write(ref _upstreams, [.. _upstreams.AsSpan(0, index), .. _upstreams.AsSpan(index + 1)]);
            return removed;
        }
    }

    /// <summary>Empties the view and returns what it held.</summary>
    public Upstream[] Clear()
    {
        lock (_gate)
        {
            var all = _upstreams;
            Volatile.Write(ref _upstreams, []);
            return all;
        }
    }

    /// <summary>
    /// The next endpoint of <paramref name="view"/> in round robin order that this request has not tried yet
    /// (<paramref name="tried"/>, a bit per index, is updated) and, with <paramref name="skipEjected"/>, that is not
    /// ejected (like nginx, a single endpoint is never ejected). The endpoint is acquired: the caller releases it.
    /// Null when none is left ("no live upstreams", a 502 in nginx).
    /// </summary>
    public Upstream? Pick(Upstream[] view, ref ulong tried, bool skipEjected)
    {
        int count = Math.Min(view.Length, MaxTries);
        if (count == 0) return null;
        int start = (int)(Interlocked.Increment(ref _cursor) % (uint)count);
        bool checkEjection = skipEjected && count > 1;
        long now = checkEjection ? Environment.TickCount64 : 0;
        for (int i = 0; i < count; i++)
        {
            int index = start + i < count ? start + i : start + i - count;
            ulong bit = 1UL << index;
            if ((tried & bit) != 0) continue;
            var upstream = view[index];
            if (checkEjection && upstream.IsEjected(now)) continue;
            // Removed from the view and its last request already finished: its pool is gone.
            if (!upstream.TryAcquire()) continue;
            tried |= bit;
            return upstream;
        }
        return null;
    }
}
