using System.CommandLine;
using System.CommandLine.Parsing;
using Lameduck.Text;

namespace Lameduck.Cli.CommandLine;

/// <summary>Duration flags typed as <c>500ms</c>, <c>5s</c>, <c>1m30s</c>, with errors that name the flag.</summary>
internal static class DurationOptions
{
    /// <summary>A duration flag that is null when not given (the caller applies its default).</summary>
    public static Option<TimeSpan?> Optional(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "duration",
        CustomParser = result => Parse(result, name),
    };

    /// <summary>A duration flag with a default value.</summary>
    public static Option<TimeSpan> WithDefault(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = description,
        HelpName = "duration",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Parse(result, name) ?? defaultValue,
    };

    private static TimeSpan? Parse(ArgumentResult result, string name)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (DurationText.TryParse(text, out var value, out var error)) return value;
        result.AddError($"{name}: {error}");
        return null;
    }
}
