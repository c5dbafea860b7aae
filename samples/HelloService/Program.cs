// HelloService: the write-ups' hello-world service, run with or without Lameduck so every before/after
// figure compares Lameduck with what ASP.NET Core does out of the box.
//
//   dotnet HelloService.dll --urls http://127.0.0.1:8080 --graceful true|false
//
// --graceful false: ASP.NET Core's own shutdown, untouched (ConsoleLifetime, default
//   HostOptions.ShutdownTimeout; on SIGTERM Kestrel unbinds at once and drains in-flight requests).
// --graceful true:  Lameduck with its defaults plus any Lameduck__* environment settings.
// POD_NAME (environment), when set, names the replica in an X-Pod-Name header on /ws and /sse (PodName.cs).
using HelloService;
using Microsoft.Extensions.Options;

var mode = ServiceMode.FromArgs(args);
if (mode.Error is not null)
{
    Console.Error.WriteLine($"HelloService: {mode.Error}");
    return 2;
}

var builder = WebApplication.CreateBuilder(args);
// No per-request logs: the lab runs several replicas at 1,000 req/s. Set in code (same in both modes)
// because the content root is the caller's directory, where no appsettings.json is found.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

if (mode.Graceful)
{
    GracefulEndpoints.AddServices(builder);
}
var app = builder.Build();
app.UseWebSockets();
if (mode.Graceful)
{
    GracefulEndpoints.Map(app);
}
else
{
    BaselineEndpoints.Map(app);
}
HelloEndpoint.Map(app);

try
{
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine($"HelloService: invalid configuration: {string.Join(" ", e.Failures)}");
    return 2;
}
