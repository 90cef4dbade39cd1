package dev.chirp.sessions.demo;

import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.Sessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code GET /cart} shows a list kept in the session; {@code POST /cart} adds or removes an item. */
final class CartServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String CART = "cart";
    // The whole session must fit in one cookie of at most 4096 bytes; these limits keep the cart well
    // inside it even with 4-byte UTF-8 characters, so the demo never hits SessionTooLargeException.
    static final int MAX_ITEMS = 20;
    static final int MAX_ITEM_BYTES = 60;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        render(response, HttpServletResponse.SC_OK, items(Sessions.get()), null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.setCharacterEncoding(StandardCharsets.UTF_8.name());
        Session session = Sessions.get();
        List<String> items = items(session);
        String item = request.getParameter("item");
        item = item == null ? "" : item.strip();
        String action = request.getParameter("action");
        String problem = null;
        boolean changed = false;
        if (item.isEmpty() || item.getBytes(StandardCharsets.UTF_8).length > MAX_ITEM_BYTES) {
            problem = "An item must be 1 to " + MAX_ITEM_BYTES + " bytes of text.";
        } else if ("add".equals(action)) {
            if (items.size() >= MAX_ITEMS) {
                problem = "The cart is full (" + MAX_ITEMS + " items): a cookie holds about 4 KB.";
            } else {
                changed = items.add(item);
            }
        } else if ("remove".equals(action)) {
            // Removing what is not there changes nothing: no new cookie for it.
            changed = items.remove(item);
        } else {
            problem = "The action must be add or remove.";
        }
        if (problem != null) {
            render(response, HttpServletResponse.SC_BAD_REQUEST, items, problem);
            return;
        }
        if (changed) {
            session.put(CART, items);
        }
        Html.seeOther(response, "/cart");
    }

    /** A copy of the cart in the session (empty if there is none, or if another app stored something else). */
    static List<String> items(Session session) {
        List<String> items = new ArrayList<>();
        if (session.get(CART) instanceof List) {
            for (Object item : (List<?>) session.get(CART)) {
                items.add(String.valueOf(item));
            }
        }
        return items;
    }

    private static void render(HttpServletResponse response, int status, List<String> items, String problem)
            throws IOException {
        StringBuilder body = new StringBuilder(Flashes.html());
        if (problem != null) {
            body.append("<p class=\"error\">").append(Html.escape(problem)).append("</p>\n");
        }
        body.append("<div class=\"columns\">\n<section class=\"panel\">\n");
        if (items.isEmpty()) {
            body.append("<p>The cart is empty.</p>\n<p><a class=\"button\" href=\"/\">Browse the shop</a></p>\n");
        } else {
            int cents = 0;
            body.append("<ul class=\"lines\">\n");
            for (String item : items) {
                Optional<Catalog.Product> product = Catalog.find(item);
                cents += product.map(Catalog.Product::cents).orElse(0);
                body.append("<li><span class=\"name\">").append(Html.escape(item)).append("</span><span class=\"price\">")
                        .append(product.map(Catalog.Product::price).map(Html::escape).orElse("&ndash;"))
                        .append("</span><form method=\"post\" action=\"/cart\">").append(Csrf.formField())
                        .append("<input type=\"hidden\" name=\"item\" value=\"").append(Html.escape(item)).append("\">")
                        .append("<button class=\"quiet\" name=\"action\" value=\"remove\">Remove</button></form></li>\n");
            }
            body.append("</ul>\n<div class=\"total\"><span>Total</span><span>").append(Catalog.price(cents))
                    .append("</span></div>\n");
        }
        body.append("</section>\n<aside class=\"panel\"><h2>Add something else</h2>")
                .append("<form method=\"post\" action=\"/cart\">").append(Csrf.formField())
                .append("<label>Item <input name=\"item\" required></label> ")
                .append("<button name=\"action\" value=\"add\">Add</button></form>\n")
                .append("<p class=\"muted\">The cart lives in your session: at most ").append(MAX_ITEMS)
                .append(" items, so the cookie stays far below the 4 KB a browser keeps. It stays with you when you "
                        + "log in.</p></aside>\n</div>\n");
        Html.send(response, status, "Cart", body.toString());
    }
}
