using Lameduck.Cli.Lab.Kubelet;
using Lameduck.Cli.Lab.Replicas;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Tests.Lab;

public sealed class CommandTextTests
{
    [Fact]
    public void Splits_like_a_shell_without_expanding()
    {
        Assert.Equal(["lameduck-init", "signal", "QUIT", "a b", "it's", "$HOME"],
            CommandText.Split("lameduck-init  signal QUIT \"a b\" 'it'\\''s' $HOME"));
    }

    [Fact]
    public void An_unclosed_quote_is_an_error_naming_the_text()
    {
        var e = Assert.Throws<FormatException>(() => CommandText.Split("sleep '5"));
        Assert.Contains("sleep '5", e.Message);
    }

    [Fact]
    public void Port_is_substituted_in_every_argument()
    {
        Assert.Equal(["--urls", "http://127.0.0.1:8080", "8080"], CommandText.WithPort(["--urls", "http://127.0.0.1:{port}", "{port}"], 8080));
    }

    [Fact]
    public void Signals_parse_by_name_with_or_without_SIG_and_by_number()
    {
        Assert.True(SignalTable.TryParse("TERM", out var term));
        Assert.True(SignalTable.TryParse("SIGQUIT", out var quit));
        Assert.True(SignalTable.TryParse("10", out var usr1));
        Assert.Equal((15, 3, 10), (term, quit, usr1));
        Assert.False(SignalTable.TryParse("NOPE", out _));
        Assert.Equal("SIGUSR1", SignalTable.Name(10));
    }

    [Fact]
    public void A_propagation_range_draws_repeatably_within_bounds_for_a_seed()
    {
        var a = PropagationDelay.Parse("0.5s..3s", seed: 7);
        var b = PropagationDelay.Parse("0.5s..3s", seed: 7);
        var drawsA = Enumerable.Range(0, 20).Select(_ => a.Next()).ToArray();
        var drawsB = Enumerable.Range(0, 20).Select(_ => b.Next()).ToArray();
        Assert.Equal(drawsA, drawsB);
        Assert.All(drawsA, d => Assert.InRange(d, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(3)));
        Assert.True(drawsA.Distinct().Count() > 10, "a range must draw different delays per pod");
        Assert.Equal(TimeSpan.FromSeconds(2), PropagationDelay.Parse("2s", 1).Next());
        Assert.Throws<FormatException>(() => PropagationDelay.Parse("3s..1s", 1));
    }
}
