namespace Lameduck.Cli.Lab.Ingress;

/// <summary>Finds a Debian-packaged server binary (nginx, haproxy) or says which package to install.</summary>
public static class SystemTool
{
    private static readonly string[] Directories = ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin"];

    /// <summary>The full path of <paramref name="name"/>, searching PATH and the sbin directories.</summary>
    /// <exception cref="IngressUnavailableException">Not installed; the message names the apt package.</exception>
    public static string Locate(string name, string aptPackage)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(':', StringSplitOptions.RemoveEmptyEntries) ?? [];
        foreach (var dir in path.Concat(Directories))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new IngressUnavailableException(
            $"--ingress {name} needs {name}, which is not installed. Install it with: sudo apt-get install -y {aptPackage}  (or use --ingress l7 or kube-proxy, which need nothing)");
    }
}

/// <summary>The chosen ingress cannot run here (not installed, failed to start).</summary>
public sealed class IngressUnavailableException(string message) : Exception(message);
