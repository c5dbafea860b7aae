using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MiddlewareOverhead;

/// <summary>
/// Response feature that behaves like Kestrel's where it matters here: OnStarting callbacks go on a stack
/// that lives as long as the connection and are fired, then cleared, when the response starts. The body
/// is discarded.
/// </summary>
internal sealed class KestrelLikeResponseFeature : IHttpResponseFeature, IHttpResponseBodyFeature
{
    private readonly Stack<KeyValuePair<Func<object, Task>, object>> _onStarting = new();

    public int StatusCode { get; set; } = 200;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    public Stream Body { get; set; }

    public bool HasStarted { get; private set; }

    public Stream Stream => Body;

    public PipeWriter Writer => throw new NotSupportedException();

    public KestrelLikeResponseFeature() => Body = new StartingStream(this);

    public void Reset()
    {
        HasStarted = false;
        Headers.Clear();
        _onStarting.Clear();
    }

    public void OnStarting(Func<object, Task> callback, object state) => _onStarting.Push(new(callback, state));

    public void OnCompleted(Func<object, Task> callback, object state)
    {
    }

    public void DisableBuffering()
    {
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => FireOnStartingAsync();

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task CompleteAsync() => Task.CompletedTask;

    private Task FireOnStartingAsync()
    {
        if (HasStarted)
        {
            return Task.CompletedTask;
        }
        HasStarted = true;
        while (_onStarting.TryPop(out var entry))
        {
            var task = entry.Key(entry.Value);
            if (!task.IsCompletedSuccessfully)
            {
                return task;
            }
        }
        return Task.CompletedTask;
    }

    private sealed class StartingStream(KestrelLikeResponseFeature owner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => owner.FireOnStartingAsync().GetAwaiter().GetResult();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => new(owner.FireOnStartingAsync());
    }
}
