using System.CommandLine;

namespace Lameduck.Cli.CommandLine;

/// <summary>Choice validation whose message names the flag (System.CommandLine's own does not).</summary>
internal static class OptionChoices
{
    /// <summary>Accepts only <paramref name="values"/>; completions offer them.</summary>
    public static Option<string> OneOf(this Option<string> option, params string[] values)
    {
        option.CompletionSources.Add(values);
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value is not null && !values.Contains(value, StringComparer.Ordinal))
                result.AddError($"{option.Name}: '{value}' is not one of {string.Join(", ", values)}");
        });
        return option;
    }
}
