using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Lameduck.Cli.Verify.Attack.Http1;

/// <summary>
/// The target's socket address as the kernel takes it (<c>sockaddr_in</c> / <c>sockaddr_in6</c>), resolved once
/// before the run: a load generator measures the server, not the resolver. An IPv4 address is preferred when the
/// name has both (what the lab and most Kubernetes services use).
/// </summary>
internal sealed class TargetAddress
{
    private TargetAddress(byte[] sockaddr, int family, IPEndPoint endPoint)
    {
        SockAddr = sockaddr;
        Family = family;
        EndPoint = endPoint;
    }

    /// <summary>The raw <c>struct sockaddr_in(6)</c>.</summary>
    public byte[] SockAddr { get; }

    /// <summary><see cref="LibC.AfInet"/> or <see cref="LibC.AfInet6"/>.</summary>
    public int Family { get; }

    /// <summary>The address, for messages.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Resolves <paramref name="target"/>'s host; null when it does not resolve (every request is then an error).</summary>
    public static TargetAddress? Resolve(Uri target)
    {
        IPAddress[] addresses;
        try
        {
            // DnsSafeHost: an IPv6 literal without its brackets.
            addresses = IPAddress.TryParse(target.DnsSafeHost, out var literal) ? [literal] : Dns.GetHostAddresses(target.DnsSafeHost);
        }
        catch (SocketException)
        {
            return null;
        }
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                      ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6);
        return address is null ? null : From(new IPEndPoint(address, target.Port));
    }

    /// <summary>The socket address of <paramref name="endPoint"/>.</summary>
    public static TargetAddress From(IPEndPoint endPoint)
    {
        var address = endPoint.Address;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var sa = new byte[16];
            BitConverter.TryWriteBytes(sa.AsSpan(0, 2), (ushort)LibC.AfInet); // host order
            BinaryPrimitives.WriteUInt16BigEndian(sa.AsSpan(2, 2), (ushort)endPoint.Port);
            address.TryWriteBytes(sa.AsSpan(4, 4), out _);
            return new TargetAddress(sa, LibC.AfInet, endPoint);
        }
        var sa6 = new byte[28];
        BitConverter.TryWriteBytes(sa6.AsSpan(0, 2), (ushort)LibC.AfInet6);
        BinaryPrimitives.WriteUInt16BigEndian(sa6.AsSpan(2, 2), (ushort)endPoint.Port);
        address.TryWriteBytes(sa6.AsSpan(8, 16), out _);
        BitConverter.TryWriteBytes(sa6.AsSpan(24, 4), (uint)address.ScopeId);
        return new TargetAddress(sa6, LibC.AfInet6, endPoint);
    }
}
