namespace Lameduck.Init.Tests; public class SmokeTests { [Fact] public void Loads() => Assert.NotNull(typeof(SmokeTests)); }
