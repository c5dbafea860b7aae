using System.Globalization;
using System.Text;

namespace Lameduck.Cli.Lab.Replicas;

/// <summary>
/// Splits a command typed as one string (<c>--pre-stop "lameduck-init signal QUIT"</c>) into
/// arguments the way a POSIX shell would for plain words and quotes (no expansion), and substitutes
/// <c>{port}</c>. A shell is not involved so that shell-less commands behave as in a pod spec's exec hook.
/// </summary>
public static class CommandText
{
    /// <summary>Splits on whitespace, honouring single quotes, double quotes and backslash escapes.</summary>
    /// <exception cref="FormatException">A quote is not closed.</exception>
    public static IReadOnlyList<string> Split(string text)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else if (c == '\\' && quote == '"' && i + 1 < text.Length) current.Append(text[++i]);
                else current.Append(c);
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (inWord) { args.Add(current.ToString()); current.Clear(); inWord = false; }
                continue;
            }
            inWord = true;
            if (c is '\'' or '"') quote = c;
            else if (c == '\\' && i + 1 < text.Length) current.Append(text[++i]);
            else current.Append(c);
        }
        if (quote != '\0') throw new FormatException($"unclosed {quote} quote in '{text}'");
        if (inWord) args.Add(current.ToString());
        return args;
    }

    /// <summary>Replaces every <c>{port}</c> in each argument with <paramref name="port"/>.</summary>
    public static IReadOnlyList<string> WithPort(IEnumerable<string> args, int port) =>
        args.Select(a => a.Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToArray();
}
