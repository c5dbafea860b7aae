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

    /// <summary>A duration flag with a default value; <paramref name="positive"/> rejects 0 (<c>--duration must be > 0</c>).</summary>
    public static Option<TimeSpan> WithDefault(string name, string description, TimeSpan defaultValue, bool positive = false) => new(name)
    {
        Description = description,
        HelpName = "duration",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Parse(result, name, positive) ?? defaultValue,
    };

    private static TimeSpan? Parse(ArgumentResult result, string name, bool positive = false)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (!DurationText.TryParse(text, out var value, out var error))
        {
            result.AddError($"{name}: {error}");
            return null;
        }
        if (positive && value <= TimeSpan.Zero)
        {
            result.AddError($"{name} must be > 0");
            return null;
        }
        return value;
    }
}
