namespace Decisioning.Domain;

/// <summary>
/// A value, or the refusal in its place: what reads and commands of a line answer, the same in
/// process and across the grain boundary. Refusals are values; exceptions are for bugs only.
/// </summary>
public readonly record struct Result<T>(T? Value, DomainError? Error)
{
    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(DomainError error) => new(default, error);
}
