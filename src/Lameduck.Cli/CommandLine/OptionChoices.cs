using System.CommandLine;

namespace Lameduck.Cli.CommandLine;

/// <summary>Choice validation whose message names the flag (System.CommandLine's own does not).</summary>
internal static class OptionChoices
{
    /// <summary>Accepts only <paramref name="values"/>; completions offer them.</summary>
    public static Option<string> OneOf(this Option<string> option, params string[] values) => option.OneOf(values, renamed: null);

    /// <summary>
    /// Accepts only <paramref name="values"/>; a value that was <paramref name="renamed"/> (old value → what to use
    /// now) gets that hint instead of the list.
    /// </summary>
    public static Option<string> OneOf(this Option<string> option, string[] values, IReadOnlyDictionary<string, string>? renamed)
    {
        option.CompletionSources.Add(values);
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value is null || values.Contains(value, StringComparer.Ordinal)) return;
            if (renamed is not null && renamed.TryGetValue(value, out var hint))
                result.AddError($"{option.Name}: '{value}' was renamed: {hint}");
            else
                result.AddError($"{option.Name}: '{value}' is not one of {string.Join(", ", values)}");
        });
        return option;
    }
}
