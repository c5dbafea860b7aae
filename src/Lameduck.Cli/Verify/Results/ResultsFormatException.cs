namespace Lameduck.Cli.Verify.Results;

/// <summary>A results file that cannot be read; the message names the file and line.</summary>
public sealed class ResultsFormatException(string file, int line, string problem)
    : Exception($"{file}:{line}: {problem}")
{
    /// <summary>The file being read.</summary>
    public string File { get; } = file;

    /// <summary>1-based line number of the problem.</summary>
    public int Line { get; } = line;
}
