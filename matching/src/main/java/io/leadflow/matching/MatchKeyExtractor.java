package io.leadflow.matching;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Extracts the exact-match keys of a lead or customer; the processor and the api's duplicate check
 * both use it, so both decide alike.
 *
 * <p>Rules: a blank or invalid field yields no key (blank never matches blank); a credit code
 * yields CREDIT_CODE only when its checksums hold; e-mail yields EMAIL (case-folded) and, unless its
 * domain is free-mail, DOMAIN (the registrable domain, so {@code wang@sh.acme.cn} meets {@code
 * www.acme.cn}); phone and mobile yield PHONE in E.164 when valid for the default region; website
 * yields DOMAIN; the company name yields NAME (its normalised key) only when it has a distinctive
 * core. Instances are immutable and thread-safe.
 */
public final class MatchKeyExtractor {

    private final PhoneNormalizer phones;
    private final CompanyNameNormalizer names = new CompanyNameNormalizer();

    public MatchKeyExtractor(PhoneNormalizer phones) {
        this.phones = Objects.requireNonNull(phones, "phones");
    }

    /** @param defaultRegion the tenant's phone region, e.g. "CN" */
    public MatchKeyExtractor(String defaultRegion) {
        this(new PhoneNormalizer(defaultRegion));
    }

    public MatchKeys extract(LeadFields fields) {
        Objects.requireNonNull(fields, "fields");
        List<MatchKey> keys = new ArrayList<>();
        CreditCodes.normalize(fields.creditCode()).ifPresent(code -> keys.add(new MatchKey(KeyKind.CREDIT_CODE, code)));
        EmailNormalizer.normalize(fields.email()).ifPresent(email -> {
            keys.add(new MatchKey(KeyKind.EMAIL, email));
            companyDomainOfEmail(email).ifPresent(domain -> keys.add(new MatchKey(KeyKind.DOMAIN, domain)));
        });
        phones.toE164(fields.phone()).ifPresent(phone -> keys.add(new MatchKey(KeyKind.PHONE, phone)));
        phones.toE164(fields.mobile()).ifPresent(mobile -> keys.add(new MatchKey(KeyKind.PHONE, mobile)));
        WebsiteNormalizer.registrableDomain(fields.website())
                .ifPresent(domain -> keys.add(new MatchKey(KeyKind.DOMAIN, domain)));
        NormalizedName name = names.normalize(fields.name());
        if (name.hasCore()) {
            keys.add(new MatchKey(KeyKind.NAME, name.key()));
        }
        return new MatchKeys(keys, name);
    }

    static Optional<String> companyDomainOfEmail(String email) {
        String domain = email.substring(email.indexOf('@') + 1);
        if (FreeMailDomains.isFreeMail(domain)) {
            return Optional.empty();
        }
        return WebsiteNormalizer.registrableDomain(domain)
                .filter(registrable -> !FreeMailDomains.isFreeMail(registrable));
    }
}
