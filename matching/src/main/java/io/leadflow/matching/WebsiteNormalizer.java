package io.leadflow.matching;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a raw website into the registrable domain that identifies its owner
 * ({@code https://WWW.Example.com.cn:8080/about} → {@code example.com.cn}).
 *
 * <p>Rule: accepts URLs with any scheme or bare hosts, drops user info, port, path, query,
 * fragment, a trailing dot and a leading {@code www.}, folds case and full-width characters, converts internationalised
 * names to ASCII (punycode), then keeps the public suffix plus one label using the Public Suffix
 * List bundled with Guava ({@code InternetDomainName.topPrivateDomain}). Hosting suffixes in the
 * list's private section keep the customer's label ({@code acme.github.io}). Yields nothing for
 * blanks, IP addresses, hosts that are only a public suffix ({@code com.cn}) or not under a known
 * suffix, and for platforms in {@code platform-domains.txt} (shops on {@code taobao.com} and the
 * like), whose registrable domain does not identify a company.
 */
public final class WebsiteNormalizer {

    private static final Pattern WWW = Pattern.compile("^www\\d*\\.");

    private static final Set<String> PLATFORMS = Text.readList("platform-domains.txt");

    private WebsiteNormalizer() {}

    /** The registrable domain in ASCII lower case, or empty. */
    public static Optional<String> registrableDomain(String raw) {
        if (Text.isBlank(raw)) {
            return Optional.empty();
        }
        // "www" never names a company: www.com.cn is the bare suffix com.cn, not a domain.
        String host = WWW.matcher(host(Text.fold(raw).replace('。', '.'))).replaceFirst("");
        if (host.isEmpty() || host.startsWith("[") || InetAddresses.isInetAddress(host)) {
            return Optional.empty();
        }
        InternetDomainName name;
        try {
            // A host of lower-case letters, digits, hyphens and dots is its own ASCII form: IDN.toASCII returns it
            // unchanged, or refuses it where InternetDomainName refuses it too (an empty, long or hyphen-edged label).
            String ascii = EmailNormalizer.isLowerCaseLdh(host) ? host : IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
            name = InternetDomainName.from(ascii);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!name.isUnderPublicSuffix()) {
            return Optional.empty();
        }
        String registrable = name.topPrivateDomain().toString();
        return isPlatform(name) ? Optional.empty() : Optional.of(registrable);
    }

    private static boolean isPlatform(InternetDomainName name) {
        InternetDomainName candidate = name;
        while (true) {
            if (PLATFORMS.contains(candidate.toString())) {
                return true;
            }
            if (candidate.isTopPrivateDomain() || !candidate.hasParent()) {
                return false;
            }
            candidate = candidate.parent();
        }
    }

    private static String host(String folded) {
        String rest = folded;
        int scheme = rest.indexOf("://");
        if (scheme >= 0) {
            rest = rest.substring(scheme + 3);
        } else if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        int end = rest.length();
        for (char stop : new char[] {'/', '?', '#', '\\', ' '}) {
            int at = rest.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        rest = rest.substring(0, end);
        int userInfo = rest.lastIndexOf('@');
        if (userInfo >= 0) {
            rest = rest.substring(userInfo + 1);
        }
        if (!rest.startsWith("[")) {
            int port = rest.indexOf(':');
            if (port >= 0) {
                rest = rest.substring(0, port);
            }
        }
        while (rest.endsWith(".")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        return rest;
    }
}
