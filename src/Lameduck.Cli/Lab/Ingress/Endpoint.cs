namespace Lameduck.Cli.Lab.Ingress;

/// <summary>A replica as the ingress sees it: a name and a loopback port.</summary>
public sealed record Endpoint(string Name, int Port);
