"""{% published_part "name" %}...{% endpublished_part %}: the part of a page that is the same for
every reader, served from the shared cache (reports.cache.PublishedPart, the context's
`published_part`) or rendered and stored there. Without a `published_part` it just renders.
A cached part is written as a placeholder that the view's `published_part.splice(response)` fills."""

from django import template

register = template.Library()


class PublishedPartNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        part = context.get("published_part")
        if part is None:
            return self.nodelist.render(context)
        if self.name in part.html:
            return part.placeholder(self.name)  # the view splices the cached bytes in
        html = self.nodelist.render(context)
        part.store(self.name, str(html))
        return html


@register.tag
def published_part(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("published_part takes the part's name")
    nodelist = parser.parse(("endpublished_part",))
    parser.delete_first_token()
    return PublishedPartNode(bits[1].strip("\"'"), nodelist)
