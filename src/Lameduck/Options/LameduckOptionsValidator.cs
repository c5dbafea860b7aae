using Lameduck.Budget;
using Microsoft.Extensions.Options;

namespace Lameduck.Options;

/// <summary>Rejects options whose budget cannot work; runs at start-up (ValidateOnStart).</summary>
internal sealed class LameduckOptionsValidator : IValidateOptions<LameduckOptions>
{
    public ValidateOptionsResult Validate(string? name, LameduckOptions options)
    {
        var problems = ShutdownBudget.Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
