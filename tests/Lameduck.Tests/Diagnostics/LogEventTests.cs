using System.Runtime.InteropServices;
using Lameduck.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lameduck.Tests.Diagnostics;

/// <summary>Issue 2, step 6: one log line per phase, with stable event ids, elapsed time and counts.</summary>
public sealed class LogEventTests
{
    [Fact]
    public async Task One_line_per_phase_with_stable_event_ids()
    {
        var sink = new CapturingLoggerProvider();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Lameduck:Delay"] = "00:00:00.200", ["Lameduck:MinDelay"] = "00:00:00" });
        builder.Logging.AddProvider(sink);
        builder.Services.AddLameduck();
        using var host = builder.Build();
        await host.StartAsync();
        var shutdown = host.WaitForShutdownAsync();

        host.Services.GetRequiredService<LameduckHostLifetime>().BeginShutdown(PosixSignal.SIGTERM);
        await shutdown.WaitAsync(TimeSpan.FromSeconds(30));

        var lameduck = sink.Entries.Where(e => e.Category == "Lameduck").ToList();
        Assert.Equal([(1, "Armed"), (2, "LameDuckStarted"), (3, "DrainStarted"), (5, "Stopped")],
            lameduck.Select(e => (e.Id.Id, e.Id.Name!)).ToList());
        Assert.Contains("SIGTERM received", lameduck[1].Message, StringComparison.Ordinal);
        Assert.Matches(@"Draining after \d+ ms \(delay elapsed\): listeners close, 0 in flight, 0 served during lame duck", lameduck[2].Message);
        Assert.Matches(@"Stopped after \d+ ms \(drain \d+ ms\): 0 served during lame duck, 0 aborted, 0 in flight", lameduck[3].Message);
    }

    private sealed record Entry(string Category, EventId Id, string Message);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly List<Entry> _entries = [];

        public IReadOnlyList<Entry> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._entries)
                {
                    owner._entries.Add(new Entry(category, eventId, formatter(state, exception)));
                }
            }
        }
    }
}
