using System.Collections.Concurrent;
using System.Globalization;
using Lameduck.Cli.Lab.Events;
using Lameduck.Cli.Lab.Ingress;
using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Cli.Lab.Rollout;
using Lameduck.Text;

namespace Lameduck.Cli.Lab;

/// <summary>
/// Runs one lab: starts the ingress and the replicas, waits until they are ready, starts the load
/// against the ingress, starts the rolling update at <see cref="LabSettings.RolloutAt"/>, waits for
/// both, and removes every process and temporary file it made, whatever happens (exception,
/// cancellation, a crashed replica).
/// </summary>
/// <example>
/// <code>
/// var runner = new LabRunner(settings, new LabEventLog(Console.Error));
/// var result = await runner.RunAsync((target, ct) => RunMyLoadAsync(target, ct), ct);
/// Console.WriteLine(result.Rollout?.Duration);
/// </code>
/// </example>
public sealed class LabRunner(LabSettings settings, LabEventLog events)
{
    private readonly ConcurrentBag<Pod> _pods = [];
    private readonly ConcurrentBag<Task> _endpointChanges = [];
    private readonly ConcurrentBag<int> _pids = [];
    private readonly ConcurrentBag<int> _ports = [];
    private readonly ConcurrentDictionary<string, bool> _inIngress = new();
    private readonly TaskCompletionSource _rolloutFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IIngress? _ingress;
    private IReadOnlyList<string> _ingressErrors = [];
    private string _workDirectory = "";
    private int _podCount;

    /// <summary>The lab's event log.</summary>
    public LabEventLog Events => events;

    /// <summary>Completes when the rolling update has finished, failed or been cancelled, or the run ended without one.</summary>
    public Task RolloutFinished => _rolloutFinished.Task;

    /// <summary>Every process started so far (replicas, ingress): lets a caller check cleanup even when the run threw.</summary>
    public IReadOnlyList<int> StartedProcessIds => _pids.ToArray();

    /// <summary>Every port handed out so far (replicas, ingress).</summary>
    public IReadOnlyList<int> UsedPorts => _ports.ToArray();

    /// <summary>True when the pod named <paramref name="podName"/> (r1, r2...) was started and its process has exited.</summary>
    public bool HasExited(string podName) => _pods.Any(p => p.Name == podName && p.Replica.HasExited);

    /// <summary>
    /// Runs the lab. <paramref name="runLoad"/> sends the load to the ingress's address for the
    /// configured duration and returns when it is done (it should return, not throw, when cancelled).
    /// <paramref name="beforeLoad"/>, when given, runs once the old pods are ready and before the load and the
    /// rollout's clock start (the lab opens its long-lived sessions there).
    /// </summary>
    /// <exception cref="LabException">The replicas or the ingress could not be brought up.</exception>
    /// <exception cref="IngressUnavailableException">The chosen proxy is not installed or failed.</exception>
    public async Task<LabResult> RunAsync(Func<Uri, CancellationToken, Task> runLoad, CancellationToken ct, Func<Uri, CancellationToken, Task>? beforeLoad = null)
    {
        _workDirectory = Directory.CreateTempSubdirectory("lameduck-lab-").FullName;
        // Everything the lab starts stops with this token, also when the caller's code throws.
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loadStartedAt = TimeSpan.Zero;
        RolloutResult? rollout = null;
        Task<RolloutResult>? rolloutTask = null;
        bool interrupted = false;
        try
        {
            _ingress = IngressFactory.Create(settings.Ingress, settings.Seed, settings.IngressRetries);
            await _ingress.StartAsync(_workDirectory, lifetime.Token).ConfigureAwait(false);
            _ports.Add(_ingress.Address.Port);
            if (_ingress.ProcessId is { } ingressPid) _pids.Add(ingressPid);
            events.Record(LabEventKind.IngressStarted, "ingress", $"{_ingress.Name} on {_ingress.Address}" +
                (_ingress.ProcessId is { } p ? " pid " + p.ToString(CultureInfo.InvariantCulture) : ""));

            var oldPods = Enumerable.Range(0, settings.Strategy.Replicas).Select(_ => StartPod()).ToArray();
            await WaitReadyAsync(oldPods, lifetime.Token).ConfigureAwait(false);
            if (beforeLoad is not null) await beforeLoad(_ingress.Address, lifetime.Token).ConfigureAwait(false);

            loadStartedAt = events.Record(LabEventKind.Load, "load",
                $"{settings.LoadText} to {_ingress.Address}").At;
            var load = runLoad(_ingress.Address, lifetime.Token);
            rolloutTask = RolloutLaterAsync(oldPods, loadStartedAt + settings.RolloutAt, lifetime.Token);

            try
            {
                await load.ConfigureAwait(false);
                events.Record(LabEventKind.Load, "load", "done");
                rollout = await rolloutTask.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                interrupted = true;
                try { await load.ConfigureAwait(false); } catch (OperationCanceledException) { }
            }
            foreach (var change in _endpointChanges) await change.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            interrupted = true;
        }
        finally
        {
            await lifetime.CancelAsync().ConfigureAwait(false);
            if (rolloutTask is not null)
            {
                // Let the controller stop starting pods before they are all killed. Whatever it threw is
                // already on its way to the caller (or was a cancellation): cleanup must run regardless.
                try { rollout ??= await rolloutTask.ConfigureAwait(false); }
                catch (Exception) { }
            }
            await CleanUpAsync().ConfigureAwait(false);
            _rolloutFinished.TrySetResult();
        }
        return new LabResult(_ingress!.Name, rollout, events.Snapshot(), loadStartedAt, interrupted, _pids.ToArray(), _ports.ToArray(), _ingressErrors);
    }

    private Pod StartPod()
    {
        var name = "r" + Interlocked.Increment(ref _podCount).ToString(CultureInfo.InvariantCulture);
        int port = FreePort.Next();
        _ports.Add(port);
        var pod = Pod.Start(settings.Template, name, port, _workDirectory, settings.Probe, events, OnReadinessChanged);
        _pids.Add(pod.Replica.Pid);
        _pods.Add(pod);
        return pod;
    }

    /// <summary>
    /// A ready pod joins the ingress at once (joining late would only slow the rollout); a pod that
    /// turns unready outside termination leaves it after the propagation delay, like any endpoint change.
    /// </summary>
    private void OnReadinessChanged(Pod pod, bool ready)
    {
        var endpoint = new Endpoint(pod.Name, pod.Replica.Port);
        if (ready)
        {
            _endpointChanges.Add(Task.Run(async () =>
            {
                await _ingress!.AddEndpointAsync(endpoint, CancellationToken.None).ConfigureAwait(false);
                _inIngress[pod.Name] = true;
                events.Record(LabEventKind.EndpointAdded, pod.Name, "port " + endpoint.Port.ToString(CultureInfo.InvariantCulture));
            }));
        }
        else
        {
            var delay = settings.Propagation.Next();
            _endpointChanges.Add(Task.Run(async () =>
            {
                await Task.Delay(delay).ConfigureAwait(false);
                if (pod.IsTerminating || !_inIngress.TryRemove(pod.Name, out _)) return;
                await _ingress!.RemoveEndpointAsync(endpoint, CancellationToken.None).ConfigureAwait(false);
                events.Record(LabEventKind.EndpointRemoved, pod.Name, "unready");
            }));
        }
    }

    private async Task WaitReadyAsync(IReadOnlyList<Pod> pods, CancellationToken ct)
    {
        var deadline = events.Now + settings.StartupTimeout;
        while (!pods.All(p => p.IsReady && _inIngress.ContainsKey(p.Name)))
        {
            if (pods.FirstOrDefault(p => p.Replica.HasExited) is { } dead)
                throw new LabException($"replica {dead.Name} exited with code {await dead.Replica.Exited.ConfigureAwait(false)} before it was ready. Command: {string.Join(' ', settings.Template.Command)}{Environment.NewLine}Its log ends with:{Environment.NewLine}{dead.Replica.LogTail()}");
            if (events.Now > deadline)
            {
                var slow = pods.First(p => !p.IsReady);
                throw new LabException($"replica {slow.Name} was not ready within {DurationText.Format(settings.StartupTimeout)}: GET http://127.0.0.1:{slow.Replica.Port}{settings.Probe.Path} never answered 2xx/3xx (is --readiness-path right?). Its log ends with:{Environment.NewLine}{slow.Replica.LogTail()}");
            }
            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }

    private async Task<RolloutResult> RolloutLaterAsync(IReadOnlyList<Pod> oldPods, TimeSpan at, CancellationToken ct)
    {
        try
        {
            var wait = at - events.Now;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct).ConfigureAwait(false);
            var terminator = new PodTerminator(settings.Termination, events);
            var controller = new DeploymentController(settings.Strategy, events);
            return await controller.RolloutAsync(oldPods, StartPod, pod => pod.Delete(terminator, settings.Propagation.Next(), async c =>
            {
                _inIngress.TryRemove(pod.Name, out _);
                await _ingress!.RemoveEndpointAsync(new Endpoint(pod.Name, pod.Replica.Port), c).ConfigureAwait(false);
            }, ct), settings.ProgressDeadline, ct).ConfigureAwait(false);
        }
        finally
        {
            _rolloutFinished.TrySetResult();
        }
    }

    /// <summary>Kills every replica's process group, stops the ingress, keeps its error log, deletes the work directory.</summary>
    private async Task CleanUpAsync()
    {
        // Kill first, tidy up after: one failure must not spare the other processes.
        foreach (var pod in _pods) pod.Replica.KillGroup();
        foreach (var pod in _pods) await pod.DisposeAsync().ConfigureAwait(false);
        if (_ingress is not null)
        {
            await _ingress.DisposeAsync().ConfigureAwait(false);
            _ingressErrors = _ingress.LoggedErrors(); // the log is in the work directory, deleted next
        }
        try { Directory.Delete(_workDirectory, recursive: true); }
        catch (IOException) { }
    }
}
