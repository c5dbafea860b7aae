namespace Lameduck.Cli.Webhook.Admission;

/// <summary>How an admission request was answered (the <c>outcome</c> tag of the webhook's metrics). Every one is <c>allowed: true</c>.</summary>
internal enum AdmissionOutcome
{
    /// <summary>An opted-in pod, patched.</summary>
    Mutated,

    /// <summary>An opted-in pod that already had everything (injected by <c>lameduck inject</c>, or reinvoked).</summary>
    Unchanged,

    /// <summary>A pod that did not opt in.</summary>
    NotOptedIn,

    /// <summary>An opted-in pod left alone as a whole (unreadable annotations), with warnings.</summary>
    Refused,

    /// <summary>Not a pod: the webhook is configured for pods only.</summary>
    NotAPod,

    /// <summary>Not a CREATE: a running pod's containers cannot change.</summary>
    NotACreate,

    /// <summary>Not an AdmissionReview the webhook can read.</summary>
    Malformed,

    /// <summary>A body over the size limit.</summary>
    TooLarge,

    /// <summary>The body did not arrive within the timeout.</summary>
    Timeout,

    /// <summary>A bug: the pod is admitted unchanged and the error logged.</summary>
    Error,
}

/// <summary>Metric tag values.</summary>
internal static class AdmissionOutcomeNames
{
    /// <summary>The tag value: <c>mutated</c>, <c>not_opted_in</c>, <c>too_large</c>...</summary>
    public static string Tag(this AdmissionOutcome outcome) => outcome switch
    {
        AdmissionOutcome.Mutated => "mutated",
        AdmissionOutcome.Unchanged => "unchanged",
        AdmissionOutcome.NotOptedIn => "not_opted_in",
        AdmissionOutcome.Refused => "refused",
        AdmissionOutcome.NotAPod => "not_a_pod",
        AdmissionOutcome.NotACreate => "not_a_create",
        AdmissionOutcome.Malformed => "malformed",
        AdmissionOutcome.TooLarge => "too_large",
        AdmissionOutcome.Timeout => "timeout",
        _ => "error",
    };
}
