using System.Diagnostics.CodeAnalysis;

namespace Fractal.Functions.Maintenance.Domain;

/// <summary>Either a value or a <see cref="DomainError"/>; every maintenance operation returns one.</summary>
public readonly struct DomainResult<T>
{
    private readonly T? _value;

    private DomainResult(T? value, DomainError? error)
    {
        _value = value;
        Error = error;
    }

    public DomainError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value; throws when the result is an error (a programming mistake, not a domain outcome).</summary>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"The result is an error: {Error}");

    public static DomainResult<T> Ok(T value) => new(value, null);
    public static DomainResult<T> Fail(DomainError error) => new(default, error);

    public static implicit operator DomainResult<T>(T value) => Ok(value);
    public static implicit operator DomainResult<T>(DomainError error) => Fail(error);

    public DomainResult<TOut> Map<TOut>(Func<T, TOut> map) => IsSuccess ? map(_value!) : Error;

    public override string ToString() => IsSuccess ? $"Ok({_value})" : $"Fail({Error})";
}
