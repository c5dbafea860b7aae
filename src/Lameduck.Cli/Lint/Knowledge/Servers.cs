using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;
using Lameduck.Contract.Presets;

namespace Lameduck.Cli.Lint.Knowledge;

/// <summary>
/// Finds which preset server (nginx, php-fpm, HAProxy, Apache httpd) a container runs, and the manifest node that
/// says so. What counts as each server is the shutdown contract's (<see cref="ServerPresets"/>), the same
/// knowledge lameduck-init guesses its preset with; this class only knows where to look in a pod spec.
/// </summary>
internal static class Servers
{
    /// <summary>The server the container runs and the node that says so; null when it runs none of them.</summary>
    public static (ServerPreset Server, YamlNode Where)? Detect(Container container)
    {
        foreach (var word in container.Argv)
        {
            if (ByCommand(word.Value) is { } server) return (server, word);
        }
        // Failing a command that names it, the image's own server, unless the pod's command replaces the image's start.
        if (container.Image is { } image && container.ImageNode is { } node &&
            ServerPresets.StartedBy(image, [.. container.Command.Select(c => c.Value)], [.. container.Args.Select(a => a.Value)]) is { } byImage)
            return (byImage, node);
        return null;
    }

    // A word of the argv, or a whole shell script in one word ("sh -c 'envsubst ... && exec nginx ...'").
    private static ServerPreset? ByCommand(string text)
    {
        foreach (var token in text.Split([' ', '\t', '\n', ';', '&', '|', '(', ')', '"', '\''], StringSplitOptions.RemoveEmptyEntries))
        {
            if (ServerPresets.ForProgram(token) is { } server) return server;
        }
        return null;
    }
}
