namespace Lameduck.Cli.Lab.Samples;

/// <summary><c>--sample</c>: which HelloService run(s) the lab does.</summary>
public enum SampleKind
{
    /// <summary>HelloService <c>--graceful false</c>: ASP.NET Core's own shutdown, what users have today.</summary>
    Baseline,
    /// <summary>HelloService <c>--graceful true</c>: with Lameduck.</summary>
    Lameduck,
    /// <summary>Baseline then Lameduck, back to back, with a before/after table.</summary>
    Both,
}
