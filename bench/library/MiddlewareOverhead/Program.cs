// The per-request cost of UseLameduck() in isolation: time and, above all, bytes allocated per request
// (allocations do not depend on what else the machine is doing, unlike wrk's req/s on a shared box).
//
//   dotnet run -c Release --project bench/library/MiddlewareOverhead
using BenchmarkDotNet.Running;
using MiddlewareOverhead;

BenchmarkRunner.Run<PipelineBenchmarks>(args: args);
