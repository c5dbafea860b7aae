namespace HelloService;

/// <summary><c>GET /</c> answers <c>hello world</c>; <c>GET /?sleep=MS</c> answers after MS milliseconds.</summary>
internal static class HelloEndpoint
{
    private const int LongestSleepMs = 10 * 60 * 1000;

    public static void Map(WebApplication app) =>
        app.MapGet("/", async (int? sleep) =>
        {
            if (sleep is < 0 or > LongestSleepMs)
            {
                return Results.BadRequest($"sleep must be between 0 and {LongestSleepMs} ms");
            }
            if (sleep > 0)
            {
                // Deliberately ignores RequestAborted: this stands for work that runs to completion
                // (or is cut off by the drain deadline), the case shutdown handling must get right.
                await Task.Delay(sleep.Value);
            }
            return Results.Text("hello world");
        });
}
