using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;

namespace Decisioning.Grains.Storage;

/// <summary>
/// Durable storage of lines. A commit is one atomic write of O(1) size per change, whatever the
/// line's history: the new journal entries with the state after them, and the request records.
/// </summary>
public interface ILineStore
{
    /// <summary>The stored state, or <see cref="LineState.NotOpened"/>.</summary>
    Task<LineState> LoadAsync(string enterpriseId);

    /// <summary>
    /// Writes <paramref name="after"/> and the batch's entries and request records, if and only if the
    /// stored sequence is exactly that of <paramref name="before"/> (neither ahead nor behind) and none
    /// of the batch's request keys has been used before; otherwise, or when storage refuses part of
    /// it, writes nothing.
    /// </summary>
    Task<CommitOutcome> CommitAsync(string enterpriseId, LineState before, LineState after, IReadOnlyList<CommitItem> batch);

    /// <summary>A document written with a commit (see <see cref="CommitItem.Attachments"/>), or null.</summary>
    Task<byte[]?> ReadAttachmentAsync(string enterpriseId, string name);

    /// <summary>What a request answered, if storage still remembers it; <paramref name="requestKey"/> is <see cref="LineCommand.RequestKey"/>.</summary>
    Task<StoredRequest?> FindRequestAsync(string enterpriseId, string requestKey);

    /// <summary>
    /// <see cref="FindRequestAsync"/>, with the line's stored sequence read in the same round trip: a
    /// refusal decided on the line's state holds only while storage is at a state its writer knows.
    /// </summary>
    Task<(StoredRequest? First, long StoredSequence)> FindRequestAndSequenceAsync(string enterpriseId, string requestKey);

    /// <summary>Journal entries older than <paramref name="beforeSequence"/> (0: the newest), newest first.</summary>
    Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(string enterpriseId, long beforeSequence, int count);
}

/// <summary>
/// One accepted command of a batch. <paramref name="Attachments"/> are documents stored with it in
/// the same atomic write (a credit decision beside the line change it caused, say), kept as long as
/// the line (or, for an enterprise without one, for <see cref="LineStorageOptions.UnlinedDecisionRetention"/>), readable by name.
/// </summary>
public sealed record CommitItem(
    string RequestKey,
    string Fingerprint,
    OperationResult Result,
    IReadOnlyList<JournalEntry> Entries,
    IReadOnlyList<Attachment>? Attachments = null);

/// <summary>
/// A document stored with a commit. Names are 1 to 128 characters of letters, digits and <c>- _ . :</c>.
/// A credit decision's document also gives its <see cref="Decision"/>, which the event of the entry
/// recording it carries.
/// </summary>
public sealed record Attachment(string Name, byte[] Value)
{
    public DecisionSummary? Decision { get; init; }
}

public abstract record CommitOutcome
{
    public static CommitOutcome Committed { get; } = new CommittedOutcome();
}

public sealed record CommittedOutcome : CommitOutcome;

/// <summary>
/// The stored sequence is not the one the writer built on: nothing was written. Above it, another
/// writer moved the line on; below it, storage lost writes this process saw durable (a ledger regression).
/// </summary>
public sealed record StaleOutcome(long StoredSequence) : CommitOutcome;

/// <summary>Storage refused this line's commit (a key of the wrong type, say): nothing of it was written.</summary>
public sealed record FailedOutcome(string Error) : CommitOutcome;

/// <summary>Some request ids of the batch were used before: nothing was written.</summary>
public sealed record DuplicatesOutcome(IReadOnlyDictionary<int, StoredRequest> ByBatchIndex) : CommitOutcome;
