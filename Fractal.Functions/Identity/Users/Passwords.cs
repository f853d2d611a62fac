using System.Security.Cryptography;

namespace Fractal.Functions.Identity.Users;

/// <summary>Password rules (NIST SP 800-63B §5.1.1: length over composition) and generated temporary passwords.</summary>
public static class Passwords
{
    public const int MinLength = 12;
    public const int MaxLength = 1024;

    /// <summary>Null when acceptable, else a message key.</summary>
    public static string? Check(string? password, string email)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength) return "password.short";
        if (password.Length > MaxLength) return "password.long";
        if (string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase)) return "password.email";
        return null;
    }

    /// <summary>A random password to hand over once (about 119 bits), to be changed at the next sign-in.</summary>
    public static string NewTemporary()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var chars = new char[20];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        return new string(chars);
    }
}
