namespace HelloService;

/// <summary>The --graceful flag: true runs with Lameduck, false is ASP.NET Core out of the box.</summary>
internal sealed record ServiceMode(bool Graceful, string? Error)
{
    public static ServiceMode FromArgs(string[] args)
    {
        var graceful = true;
        for (var i = 0; i < args.Length; i++)
        {
            string? value = null;
            if (args[i] == "--graceful")
            {
                if (i + 1 >= args.Length)
                {
                    return new ServiceMode(false, "--graceful needs a value: true or false");
                }
                value = args[i + 1];
            }
            else if (args[i].StartsWith("--graceful=", StringComparison.Ordinal))
            {
                value = args[i]["--graceful=".Length..];
            }
            if (value is not null && !bool.TryParse(value, out graceful))
            {
                return new ServiceMode(false, $"--graceful must be true or false, not '{value}'");
            }
        }
        return new ServiceMode(graceful, null);
    }
}
