namespace Lameduck.AspNetCore.Tests; public class SmokeTests { [Fact] public void Loads() => Assert.NotNull(typeof(SmokeTests)); }
