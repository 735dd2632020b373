package io.leadflow.api.duplicate;

/**
 * Masks contact data for callers who may not see a customer: enough to recognise a contact they already
 * know, not enough to call them. Names keep their first character, phones their last four digits, e-mails
 * their first character and domain.
 */
final class Masking {

    private Masking() {}

    static String name(String name) {
        if (name == null || name.isBlank()) {
            return name;
        }
        int first = name.strip().codePointAt(0);
        return new String(Character.toChars(first)) + "**";
    }

    static String phone(String phone) {
        if (phone == null || phone.isBlank()) {
            return phone;
        }
        String digits = phone.replaceAll("\\D", "");
        return digits.length() <= 4 ? "****" : "****" + digits.substring(digits.length() - 4);
    }

    static String email(String email) {
        if (email == null || email.isBlank()) {
            return email;
        }
        int at = email.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }

    /** Masks the value of a match key of the given kind. */
    static String key(String kind, String value) {
        return switch (kind) {
            case "EMAIL" -> email(value);
            case "PHONE" -> phone(value);
            case "CREDIT_CODE" ->
                value.length() <= 4 ? "****" : value.substring(0, 2) + "****" + value.substring(value.length() - 2);
            default -> value;
        };
    }
}
