// HelloWorker: a generic-host queue consumer (no ASP.NET Core) on Lameduck. On SIGTERM it stops pulling
// when the lame-duck window starts, finishes the message it holds, and exits 0.
//
//   dotnet HelloWorker.dll [--WorkMs 500]        (Lameduck__* environment settings apply)
using HelloWorker;
using Microsoft.Extensions.Options;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddLameduck();
builder.Services.AddSingleton<MessageQueue>();
builder.Services.AddHostedService<QueueConsumer>();

try
{
    await builder.Build().RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine($"HelloWorker: invalid configuration: {string.Join(" ", e.Failures)}");
    return 2;
}
