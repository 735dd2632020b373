package io.leadflow.matching;

import java.util.Locale;
import java.util.Set;

/**
 * Free and consumer mailbox providers. Rule: an e-mail domain listed here, or any subdomain of one
 * ({@code vip.qq.com}), identifies a person's mailbox provider, not a company, so it never becomes
 * a DOMAIN match key. The list lives in {@code free-mail-domains.txt} next to this class.
 */
public final class FreeMailDomains {

    private static final Set<String> DOMAINS = Text.readList("free-mail-domains.txt");

    private FreeMailDomains() {}

    /** Whether {@code domain} (an e-mail domain, any case, optionally with a trailing dot) is free-mail. */
    public static boolean isFreeMail(String domain) {
        if (Text.isBlank(domain)) {
            return false;
        }
        String candidate = Text.fold(domain).toLowerCase(Locale.ROOT);
        if (candidate.endsWith(".")) {
            candidate = candidate.substring(0, candidate.length() - 1);
        }
        while (true) {
            if (DOMAINS.contains(candidate)) {
                return true;
            }
            int dot = candidate.indexOf('.');
            if (dot < 0) {
                return false;
            }
            candidate = candidate.substring(dot + 1);
        }
    }
}
