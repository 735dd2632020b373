package io.leadflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/** Browsers' EventSource cannot send headers: only the live streams take the token as a query parameter. */
class StreamTokenResolutionTest {

    @Test
    void aLiveStreamTakesTheTokenFromTheQuery() {
        assertThat(token(MockServerHttpRequest.get("/api/v1/streams/funnel?access_token=abc.def.ghi")))
                .isEqualTo("abc.def.ghi");
        assertThat(token(MockServerHttpRequest.get("/api/v1/streams/pools/public?access_token=abc")))
                .isEqualTo("abc");
    }

    @Test
    void aLiveStreamStillTakesTheTokenFromTheHeader() {
        assertThat(token(MockServerHttpRequest.get("/api/v1/streams/my-events").header("Authorization", "Bearer xyz")))
                .isEqualTo("xyz");
    }

    @Test
    void otherEndpointsIgnoreAQueryToken() {
        assertThat(token(MockServerHttpRequest.get("/api/v1/customers?access_token=abc")))
                .isNull();
        assertThat(token(MockServerHttpRequest.post("/api/v1/streams/funnel?access_token=abc")))
                .isNull();
        assertThat(token(MockServerHttpRequest.get("/api/v1/customers").header("Authorization", "Bearer xyz")))
                .isEqualTo("xyz");
    }

    @Test
    void refusesTwoTokensAtOnce() {
        assertThatThrownBy(() -> token(MockServerHttpRequest.get("/api/v1/streams/funnel?access_token=abc")
                        .header("Authorization", "Bearer xyz")))
                .isInstanceOf(OAuth2AuthenticationException.class);
    }

    private static String token(MockServerHttpRequest.BaseBuilder<?> request) {
        Authentication authentication = SecurityConfiguration.streamsAcceptQueryToken()
                .convert(MockServerWebExchange.from(request))
                .block();
        return authentication == null ? null : ((BearerTokenAuthenticationToken) authentication).getToken();
    }
}
