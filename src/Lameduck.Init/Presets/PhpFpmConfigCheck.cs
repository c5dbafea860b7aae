using System.Globalization;
using Lameduck.Init.Options;
using Lameduck.Text;
using Lameduck.Contract.Init;

namespace Lameduck.Init.Presets;

/// <summary>
/// Warns when php-fpm will kill requests in flight on a graceful stop. On SIGQUIT the php-fpm master
/// tells its workers to finish, but waits only <c>process_control_timeout</c> (default 0: not at all)
/// before sending them SIGTERM, which ends them at once. The value must be above 0 and fit in what
/// is left of the grace period after the lame-duck window.
/// </summary>
internal static class PhpFpmConfigCheck
{
    /// <summary>Where Debian's and the official image's php-fpm look when no -y/--fpm-config is given.</summary>
    public static IEnumerable<string> DefaultConfigs()
    {
        yield return "/usr/local/etc/php-fpm.conf";
        if (Directory.Exists("/etc/php"))
        {
            foreach (var version in Directory.GetDirectories("/etc/php"))
                yield return Path.Combine(version, "fpm", "php-fpm.conf");
        }
    }

    /// <summary>The config given to php-fpm with <c>-y FILE</c>, <c>-yFILE</c>, <c>--fpm-config FILE</c> or <c>--fpm-config=FILE</c>.</summary>
    public static string? ConfigFromArgs(IReadOnlyList<string> command)
    {
        for (int i = 1; i < command.Count; i++)
        {
            var arg = command[i];
            if ((arg == "-y" || arg == "--fpm-config") && i + 1 < command.Count) return command[i + 1];
            if (arg.StartsWith("--fpm-config=", StringComparison.Ordinal)) return arg["--fpm-config=".Length..];
            if (arg.StartsWith("-y", StringComparison.Ordinal) && arg.Length > 2) return arg[2..];
        }
        return null;
    }

    /// <summary>The prefix given with <c>-p DIR</c> or <c>--prefix DIR</c>; relative include= paths are relative to it.</summary>
    public static string? PrefixFromArgs(IReadOnlyList<string> command)
    {
        for (int i = 1; i < command.Count; i++)
        {
            var arg = command[i];
            if ((arg == "-p" || arg == "--prefix") && i + 1 < command.Count) return command[i + 1];
            if (arg.StartsWith("--prefix=", StringComparison.Ordinal)) return arg["--prefix=".Length..];
        }
        return null;
    }

    /// <summary>Warnings to print at start (empty when the configuration is safe), each naming the file.</summary>
    public static List<string> Check(InitSettings options)
    {
        var warnings = new List<string>();
        var explicitConfig = ConfigFromArgs(options.Command);
        var candidates = new List<string>();
        if (explicitConfig is not null) candidates.Add(explicitConfig);
        else
            foreach (var config in DefaultConfigs())
                if (File.Exists(config)) candidates.Add(config);
        if (candidates.Count == 0)
        {
            warnings.Add("php-fpm preset: no php-fpm configuration found (looked for -y/--fpm-config, /etc/php/*/fpm/php-fpm.conf, " +
                         "/usr/local/etc/php-fpm.conf); cannot check process_control_timeout");
            return warnings;
        }

        var budget = options.KillAfter - options.Delay;
        foreach (var config in candidates)
        {
            if (!File.Exists(config))
            {
                warnings.Add($"php-fpm preset: {config} (from the php-fpm command line) does not exist; cannot check process_control_timeout");
                continue;
            }
            var found = Find(config, PrefixFromArgs(options.Command), new HashSet<string>());
            if (found is null)
            {
                warnings.Add($"php-fpm preset: {config} has no process_control_timeout: on SIGQUIT the php-fpm master kills busy " +
                             $"workers at once and requests in flight fail. Add 'process_control_timeout = {Seconds(budget)}s' to [global].");
                continue;
            }
            var (value, file, line, text) = found.Value;
            if (value is null)
                warnings.Add($"php-fpm preset: {file}:{line}: process_control_timeout '{text}' is not a php-fpm time (e.g. 20s, 1m)");
            else if (value.Value <= TimeSpan.Zero)
                warnings.Add($"php-fpm preset: {file}:{line}: process_control_timeout is 0: on SIGQUIT the php-fpm master kills busy " +
                             $"workers at once. Set it to {Seconds(budget)}s.");
            else if (value.Value > budget)
                warnings.Add($"php-fpm preset: {file}:{line}: process_control_timeout {DurationText.Format(value.Value)} does not fit: after the " +
                             $"{DurationText.Format(options.Delay)} delay only {DurationText.Format(budget)} remain before SIGKILL " +
                             $"(grace period {DurationText.Format(options.GracePeriod)} - margin {DurationText.Format(options.Margin)}). " +
                             $"Lower it to {Seconds(budget)}s or raise the grace period.");
        }
        return warnings;
    }

    private static string Seconds(TimeSpan t) => Math.Max(1, (int)t.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>The last process_control_timeout of a [global] section, following include= globs; null when absent.</summary>
    private static (TimeSpan? Value, string File, int Line, string Text)? Find(string path, string? prefix, HashSet<string> seen)
    {
        if (!seen.Add(Path.GetFullPath(path))) return null;
        (TimeSpan?, string, int, string)? result = null;
        string section = "global";
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is ';' or '#') continue;
            if (line[0] == '[')
            {
                section = line.Trim('[', ']').Trim();
                continue;
            }
            int eq = line.IndexOf('=');
            if (eq < 0) continue;
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim().Trim('"', '\'');
            if (key == "include")
            {
                foreach (var included in Include(value, path, prefix))
                    result = Find(included, prefix, seen) ?? result;
            }
            else if (key == "process_control_timeout" && section == "global")
            {
                result = (ParseTime(value), path, lineNumber, value);
            }
        }
        return result;
    }

    // A relative include= is relative to php-fpm's prefix: -p if given, else the compiled-in one, which for
    // PREFIX/etc/php-fpm.conf (the official image: /usr/local) is the config's grandparent directory.
    private static string[] Include(string pattern, string config, string? prefix)
    {
        if (Path.IsPathRooted(pattern)) return Glob(pattern, "/");
        var configDirectory = Path.GetDirectoryName(Path.GetFullPath(config))!;
        string?[] bases = [prefix, Path.GetDirectoryName(configDirectory), configDirectory];
        foreach (var baseDirectory in bases)
        {
            if (baseDirectory is null) continue;
            var files = Glob(pattern, baseDirectory);
            if (files.Length > 0) return files;
        }
        return [];
    }

    // php-fpm accepts glob patterns in include=; the file-name part is enough for the layouts in use (pool.d/*.conf).
    private static string[] Glob(string pattern, string baseDirectory)
    {
        var full = Path.IsPathRooted(pattern) ? pattern : Path.Combine(baseDirectory, pattern);
        var directory = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        if (!Directory.Exists(directory)) return [];
        var files = Directory.GetFiles(directory, name);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>php-fpm time values: a number with an optional s, m, h or d suffix; seconds by default.</summary>
    private static TimeSpan? ParseTime(string text)
    {
        if (text.Length == 0) return null;
        char unit = char.ToLowerInvariant(text[^1]);
        var number = char.IsAsciiLetter(unit) ? text[..^1] : text;
        if (!long.TryParse(number.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return null;
        return unit switch
        {
            's' or (>= '0' and <= '9') => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => null,
        };
    }
}
