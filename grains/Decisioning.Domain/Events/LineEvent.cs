using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Events;

/// <summary>
/// A journal entry as the event stream carries it: the entry itself, the enterprise, the line's
/// product after it and, when it records a credit decision, what that decision concluded.
/// </summary>
public sealed record LineEvent(string EnterpriseId, Product Product, JournalEntry Entry, DecisionSummary? Decision);
