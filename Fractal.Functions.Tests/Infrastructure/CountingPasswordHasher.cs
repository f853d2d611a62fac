using Fractal.Functions.Identity.Users;
using Microsoft.AspNetCore.Identity;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>The app's password hasher, counting the verifications it does (the slow work a sign-in spends).</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<UserEntity>
{
    private readonly PasswordHasher<UserEntity> _inner = new();
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public string HashPassword(UserEntity user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(UserEntity user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
